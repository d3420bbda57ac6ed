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

# fail MESSAGE: ends the run before fuzzing, counted as a failure.
fail() {
  echo "schemathesis: $1" >&2
  if [[ -n "${TEST_SUMMARY_FILE:-}" ]]; then
    printf '{"suite":"fuzz set-up","passed":0,"failed":1}\n' >> "$TEST_SUMMARY_FILE"
  fi
  exit 1
}

# "access refresh" from the token pair a /auth/login or /auth/refresh answer carries
token_pair() { python3 -c "import json,sys; t=json.load(sys.stdin); print(t['accessToken'], t['refreshToken'])"; }

# sign_in ROLE EMAIL PASSWORD: once per role, before any fuzzing (fuzzing /auth/login spends the
# login throttle of 127.0.0.1). Fuzzing with no token would only exercise the 401 path, so a
# failed sign-in ends the run.
declare -A REFRESH
sign_in() {
  local pair
  pair="$(curl -fsS -X POST "$USERS/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"$3\"}" | token_pair)" || fail "sign-in as $1 ($2) failed"
  REFRESH[$1]="${pair#* }"
}

# fresh_token ROLE: sets TOKEN to a new access token from the role's refresh token (which
# rotates), so that none expires (JWT_ACCESS_TTL) in the course of the runs.
fresh_token() {
  local pair
  pair="$(curl -fsS -X POST "$USERS/auth/refresh" -H 'content-type: application/json' \
    -d "{\"refreshToken\":\"${REFRESH[$1]}\"}" | token_pair)" || fail "refreshing the $1 token failed"
  TOKEN="${pair% *}"
  REFRESH[$1]="${pair#* }"
}

customer_email="fuzz-$(date +%s)-$$@example.com"
customer_password="fuzz-password-$$"
curl -fsS -o /dev/null -X POST "$USERS/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"$customer_email\",\"password\":\"$customer_password\",\"name\":\"Fuzz Customer\"}"
sign_in customer "$customer_email" "$customer_password"
sign_in admin admin@microshop.local microshop-admin-dev

LOG_DIR="${CI_LOG_DIR:-.ci-logs}"
mkdir -p "$LOG_DIR"

# Orders name products by id, and a drawn id names none (422): fuzzed as documented, POST /orders
# would never place an order, nor its links lead to one. So order-service is fuzzed with a copy
# of its document in which productId is one of three products made for the run (once
# order-service's catalog replica has them); every other constraint is the document's.
fresh_token admin
fuzz_products=()
for n in 1 2 3; do
  product="$(curl -fsS -X POST "${SERVICES[product-service]}/products" \
    -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d "{\"sku\":\"FUZZ-$(date +%s)-$$-$n\",\"name\":\"Fuzz product $n\",\"category\":\"fuzz\",\"priceCents\":100,\"stock\":1000000}" |
    python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")" || fail "creating the products orders are fuzzed with failed"
  fuzz_products+=("$product")
done
for product in "${fuzz_products[@]}"; do
  known=0
  for _ in $(seq 60); do
    if curl -fsS -o /dev/null -H "authorization: Bearer $TOKEN" \
      "${SERVICES[order-service]}/catalog-products/$product" 2>/dev/null; then
      known=1 && break
    fi
    sleep 1
  done
  ((known)) || fail "order-service's catalog did not learn product $product within 60 s"
done
ORDER_SCHEMA="$LOG_DIR/order-service-openapi.json"
curl -fsS "${SERVICES[order-service]}/api-docs-json" | FUZZ_PRODUCTS="${fuzz_products[*]}" python3 -c '
import json, os, sys
doc = json.load(sys.stdin)
doc["components"]["schemas"]["OrderItemInputDto"]["properties"]["productId"] = {"type": "string", "enum": os.environ["FUZZ_PRODUCTS"].split()}
json.dump(doc, sys.stdout)' > "$ORDER_SCHEMA" || fail "preparing the order-service document failed"
# count WORD FILE: the number before WORD on the summary's "Test cases:" line (0 if absent)
count() { sed -n '/^Test cases:/{n;p}' "$2" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || echo 0; }

failed=()
for role in ${FUZZ_ROLES:-customer admin}; do
  for service in ${FUZZ_SERVICES:-user-service product-service order-service notification-service}; do
    url="${SERVICES[$service]}"
    log="$LOG_DIR/schemathesis-$service-$role.log"
    schema="$url/api-docs-json"
    [[ "$service" == order-service ]] && schema="$ORDER_SCHEMA"
    fresh_token "$role"
    status=0
    "$ST" --config-file scripts/schemathesis.toml run "$schema" --url "$url" \
      --checks all \
      --max-examples "${MAX_EXAMPLES:-10}" \
      --phases examples,coverage,fuzzing,stateful \
      --header "Authorization: Bearer $TOKEN" \
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
