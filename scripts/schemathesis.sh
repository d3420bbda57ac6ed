#!/usr/bin/env bash
# Fuzzes every running service against its own OpenAPI document with schemathesis (all checks),
# once as a customer and once as an admin. Needs the platform up (`npm start`, or inside the e2e
# harness). Schemathesis lives in a cached venv: ${MICROSHOP_CACHE:-$HOME/.cache/microshop}.
#   MAX_EXAMPLES (default 10) bounds each operation's generated cases.
#   FUZZ_SERVICES, FUZZ_ROLES (space-separated) narrow the run, e.g. FUZZ_SERVICES=order-service.
#   FUZZ_SEED makes the generated cases reproducible.
# Each run's full output goes to $CI_LOG_DIR (default .ci-logs/) as schemathesis-<service>-<role>.log;
# stdout gets one line per run, and with TEST_SUMMARY_FILE set its counts are appended there too.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
CACHE="${MICROSHOP_CACHE:-$HOME/.cache/microshop}"
VENV="$CACHE/venv-schemathesis-$SCHEMATHESIS_VERSION"
# A venv cannot be moved (its scripts name their interpreter), so completeness is marked instead.
if [[ ! -f "$VENV/.installed" ]]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  touch "$VENV/.installed"
fi
ST="$VENV/bin/schemathesis"

USERS=http://127.0.0.1:4000
declare -A SERVICES=(
  [user-service]=http://127.0.0.1:4000
  [product-service]=http://127.0.0.1:8000
  [order-service]=http://127.0.0.1:3000
  [notification-service]=http://127.0.0.1:5000
)

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# login ROLE EMAIL PASSWORD → access token. Fuzzing with no token would only exercise the 401
# path, so a failed login ends the run.
login() {
  local token
  if ! token="$(curl -fsS -X POST "$USERS/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"$3\"}" | json_field accessToken)" || [[ -z "$token" ]]; then
    echo "schemathesis: login as $1 ($2) failed; not fuzzing without a token" >&2
    exit 1
  fi
  echo "$token"
}

customer_email="fuzz-$(date +%s)-$$@example.com"
customer_password="fuzz-password-$$"
curl -fsS -o /dev/null -X POST "$USERS/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"$customer_email\",\"password\":\"$customer_password\",\"name\":\"Fuzz Customer\"}"
declare -A EMAIL=([customer]="$customer_email" [admin]=admin@microshop.local)
declare -A PASSWORD=([customer]="$customer_password" [admin]=microshop-admin-dev)

LOG_DIR="${CI_LOG_DIR:-.ci-logs}"
mkdir -p "$LOG_DIR"
# count WORD FILE: the number before WORD on the summary's "Test cases:" line (0 if absent)
count() { sed -n '/^Test cases:/{n;p}' "$2" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || echo 0; }

failed=()
for role in ${FUZZ_ROLES:-customer admin}; do
  for service in ${FUZZ_SERVICES:-user-service product-service order-service notification-service}; do
    url="${SERVICES[$service]}"
    log="$LOG_DIR/schemathesis-$service-$role.log"
    # A fresh token per run (4 logins per role, under the per-account throttle): one taken at the
    # start would expire (JWT_ACCESS_TTL, 15 min) before the last run ends.
    token="$(login "$role" "${EMAIL[$role]}" "${PASSWORD[$role]}")"
    status=0
    "$ST" --config-file scripts/schemathesis.toml run "$url/api-docs-json" --url "$url" \
      --checks all \
      --max-examples "${MAX_EXAMPLES:-10}" \
      --phases examples,coverage,fuzzing,stateful \
      --header "Authorization: Bearer $token" \
      --suppress-health-check all \
      ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
      --no-color > "$log" 2>&1 || status=$?
    passed="$(count passed "$log")"
    failures="$(count failed "$log")"
    ((status == 0)) || { failed+=("$service as $role"); ((failures > 0)) || failures=1; }
    echo "schemathesis $service as $role: $passed passed, $failures failed (full output: $log)"
    if [[ -n "${TEST_SUMMARY_FILE:-}" ]]; then
      printf '{"suite":"fuzz %s %s","passed":%d,"failed":%d}\n' "$service" "$role" "$passed" "$failures" >> "$TEST_SUMMARY_FILE"
    fi
  done
done

if ((${#failed[@]})); then
  printf 'schemathesis found failures: %s\n' "${failed[*]}" >&2
  for run in "${failed[@]}"; do
    set -- $run
    grep -v '^=\+' "$LOG_DIR/schemathesis-$1-$3.log" | tail -n 60 >&2
  done
  exit 1
fi
echo "schemathesis: all services pass as customer and admin"
