#!/usr/bin/env bash
# Offline checks of everything that ships MicroShop: the Helm chart, k8s/, docker-compose.yml,
# the Dockerfile and the forge's CI workflow. No cluster and no Docker engine needed; needs Go and
# Python 3 (the tools are built/installed once into ${MICROSHOP_CACHE:-$HOME/.cache/microshop}); Node
# for the JWT and Kafka checks; java 17+ and openssl for the Kafka one (KAFKA_SMOKE=0 skips it).
#
#   deploy/check.sh            run every check; exit 1 if any fails
#   VERBOSE=1 deploy/check.sh  also print every object checked
#
# What it checks:
#   helm lint --strict                 default values and deploy/values-production.yaml
#   helm template                      default, production (external stores, existing Secrets,
#                                      ingress, autoscaling), HA (3 Kafka nodes), observability
#                                      fixtures; no Helm warning on stderr
#   strict schema validation           every rendered object, k8s/*.yaml and deploy/k8s-secrets.sh
#                                      output against Kubernetes $KUBE_VERSION (kubernetes-validate,
#                                      unknown fields are errors); Prometheus Operator CRDs skipped
#                                      by name (deploy/lib/k8s_check.py)
#   policy                             every Deployment/StatefulSet container: liveness+readiness
#                                      (+startup on /health/live and /health/ready for Deployments),
#                                      requests+limits, runAsNonRoot, no privilege escalation,
#                                      capabilities drop ALL, read-only root fs, own ServiceAccount
#                                      without token, selected by its own NetworkPolicy; default deny
#   exposure                           production and k8s/: ingress with TLS, API docs off, /metrics on
#                                      its own port only (ServiceMonitor, NetworkPolicy)
#   k8s/ drift                         k8s/ equals the chart rendered with deploy/values-k8s.yaml
#   JWT keys                           chart-generated and k8s-secrets.sh keys are ES256 P-256,
#                                      PKCS#8 private / SPKI public, a matching pair (node's crypto)
#   docker-compose.yml                 compose-go (docker compose's loader: compose-spec schema,
#                                      interpolation, consistency) + hardening of the app services
#   Dockerfile                         static checks (no engine here to build it)
#   .github/workflows                  actionlint (workflow syntax, expressions, action inputs)
#   alert rules                        promtool check rules on deploy/observability/alerts, and
#                                      promtool test rules (deploy/observability/tests)
#   Kafka for real                     the chart's rendered start.sh run with the Kafka jars, three
#                                      nodes on 127.0.0.1:19092-19097 (deploy/kafka-smoke: SASL_SSL,
#                                      replication, create-topics' ACLs, unauthenticated / wrong
#                                      password / untrusted refused);
#                                      needs java 17+ and openssl; KAFKA_SMOKE=0 skips it
#   negative tests                     the validators do reject an unknown field
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
cd "$REPO_ROOT"
started=$SECONDS
set -e
ensure_helm
ensure_venv
ensure_compose_validate
ensure_promtool
ensure_actionlint
set +e
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT

# The Kubernetes version the Helm binary assumes when no --kube-version is given.
mkdir -p "$WORK/kv/templates"
printf 'apiVersion: v2\nname: kv\nversion: 0.0.0\n' > "$WORK/kv/Chart.yaml"
printf 'kubeVersion: {{ .Capabilities.KubeVersion.Version }}\n' > "$WORK/kv/templates/kv.yaml"
_log "tools: Helm $("$HELM" version --template '{{.Version}}') (built-in Kubernetes $("$HELM" template kv "$WORK/kv" | sed -n 's/^kubeVersion: //p')), kubernetes-validate $KUBERNETES_VALIDATE_VERSION; checking against Kubernetes $KUBE_VERSION"
passed=0 failed=0 failures=()
VERBOSE_FLAG=(); [[ -n "${VERBOSE:-}" ]] && VERBOSE_FLAG=(-v)

# step NAME CMD...: run CMD, print its last line on success, all of its output on failure
step() {
  local name="$1"; shift
  if "$@" > "$WORK/step.log" 2>&1; then
    passed=$((passed + 1))
    printf 'PASS  %-58s %s\n' "$name" "$(grep -v '^\s*$' "$WORK/step.log" | tail -n 1 | cut -c1-140)"
    [[ -n "${VERBOSE:-}" ]] && sed 's/^/      /' "$WORK/step.log"
  else
    failed=$((failed + 1)); failures+=("$name")
    printf 'FAIL  %s\n' "$name"
    sed 's/^/      /' "$WORK/step.log"
  fi
  return 0
}

# helm with stderr checked: the only line Helm may print there is its notice about the
# files/observability symlink (see deploy/observability/README.md); anything else is a warning.
helm_clean() {
  "$HELM" "$@" 2> "$WORK/helm.err"
  local rc=$?
  if grep -v 'found symbolic link in path: .*/files/\(observability\|k6\) resolves to' "$WORK/helm.err" | grep -q .; then
    cat "$WORK/helm.err" >&2
    echo "helm printed warnings on stderr" >&2
    return 1
  fi
  return $rc
}

CHART="$REPO_ROOT/helm/microshop"
KV=(--kube-version "$KUBE_VERSION")
PROD=(-f "$DEPLOY_DIR/values-production.yaml")
HA=(--set kafka.replicas=3 --set kafka.tls.enabled=true --set kafka.tls.certManager.issuer=microshop-ca
    --set ingress.enabled=true --set 'ingress.tls[0].secretName=microshop-tls'
    --set 'ingress.tls[0].hosts[0]=microshop.example.com' --set jwt.verification=jwks
    --set services.userService.autoscaling.enabled=false --set services.productService.autoscaling.enabled=false
    --set services.orderService.autoscaling.enabled=false --set services.notificationService.autoscaling.enabled=false)

render() { # render NAME ARGS...  -> $WORK/NAME.yaml
  local name="$1"; shift
  helm_clean template microshop "$CHART" --namespace microshop "${KV[@]}" "$@" > "$WORK/$name.yaml" || return 1
  echo "rendered $(grep -c '^kind:' "$WORK/$name.yaml") objects: $(grep '^kind:' "$WORK/$name.yaml" | sort | uniq -c | awk '{printf "%s%s x%s", sep, $3, $1; sep=", "}')"
}

# A copy of the chart whose files/observability holds the fixtures, to exercise those templates
# whatever deploy/observability holds today.
observability_fixture_render() {
  cp -r "$CHART" "$WORK/chart-obs"
  rm "$WORK/chart-obs/files/observability" "$WORK/chart-obs/files/k6"
  cp -r "$REPO_ROOT/bench/k6" "$WORK/chart-obs/files/k6"
  cp -r "$DEPLOY_DIR/testdata/observability" "$WORK/chart-obs/files/observability"
  "$HELM" template microshop "$WORK/chart-obs" --namespace microshop "${KV[@]}" \
    --set observability.prometheusRule.enabled=true --set observability.serviceMonitor.enabled=true \
    > "$WORK/observability.yaml" || return 1
  "$PY" - "$WORK/observability.yaml" <<'PY'
import sys, yaml, json
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
dash = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["labels"].get("grafana_dashboard") == "1"]
rules = [d for d in docs if d["kind"] == "PrometheusRule"]
assert len(dash) == 1, "expected 1 dashboard ConfigMap, got %d" % len(dash)
json.loads(dash[0]["data"]["sample-overview.json"])
assert len(rules) == 1 and rules[0]["spec"]["groups"][0]["rules"][0]["alert"] == "MicroShopSampleTargetDown", rules
assert any(d["kind"] == "ServiceMonitor" for d in docs)
print("fixtures render: 1 dashboard ConfigMap (sidecar label, valid JSON), 1 PrometheusRule, 1 ServiceMonitor")
PY
}

# The default render provisions exactly what deploy/observability holds (nothing when empty).
observability_folder_matches() {
  local want got
  want=$(find "$DEPLOY_DIR/observability/dashboards" -maxdepth 1 -name '*.json' | wc -l)
  got=$(grep -c '^    grafana_dashboard: "1"' "$WORK/default.yaml")
  [[ "$want" == "$got" ]] || { echo "deploy/observability/dashboards has $want dashboards, default render has $got ConfigMaps"; return 1; }
  echo "deploy/observability/dashboards: $want dashboard(s) -> $got ConfigMap(s)"
}

# The Job runs the committed script, byte for byte (files/k6 links to bench/k6).
loadtest_script_matches() {
  "$PY" - "$WORK/loadtest.yaml" "$REPO_ROOT/bench/k6/shopper.js" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
cm = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-loadtest")]
jobs = [d for d in docs if d["kind"] == "Job" and d["metadata"]["name"].startswith("microshop-loadtest")]
assert len(cm) == 1 and len(jobs) == 1, (len(cm), len(jobs))
assert cm[0]["data"]["shopper.js"].strip() == open(sys.argv[2]).read().strip(), "ConfigMap differs from bench/k6/shopper.js"
env = {e["name"]: e["value"] for e in jobs[0]["spec"]["template"]["spec"]["containers"][0]["env"]}
assert env["USER_URL"].startswith("http://microshop-user-service.") and env["USER_URL"].endswith(":4000"), env
print("loadtest: Job %s runs bench/k6/shopper.js (%d bytes) against %s" % (jobs[0]["metadata"]["name"], len(cm[0]["data"]["shopper.js"]), env["USER_URL"]))
PY
}

# The brokers the chart would run: start.sh from the rendered ConfigMap (HA render: 3 nodes, TLS),
# with the StatefulSet's variables checked against what the script reads, run for real on
# 127.0.0.1 with the Kafka jars as a quorum of three (deploy/kafka-smoke/run.sh: SASL_SSL, replication
# as admin, create-topics' ACLs, refusals; KAFKA_SMOKE_NODES=1 for a single node).
kafka_smoke() {
  [[ "${KAFKA_SMOKE:-1}" == 0 ]] && { echo "skipped (KAFKA_SMOKE=0)"; return 0; }
  "$PY" - "$WORK/ha.yaml" "$WORK/kafka-start.sh" <<'PY' || return 1
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
cm = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "microshop-kafka-config"][0]
open(sys.argv[2], "w").write(cm["data"]["start.sh"])
sts = [d for d in docs if d["kind"] == "StatefulSet" and d["metadata"]["name"] == "microshop-kafka"][0]
c = sts["spec"]["template"]["spec"]["containers"][0]
env = {e["name"]: e for e in c["env"]}
for p in ("admin", "user-service", "product-service", "order-service", "notification-service"):
    e = env["MICROSHOP_KAFKA_PASSWORD_" + p.upper().replace("-", "_")]
    assert e["valueFrom"]["secretKeyRef"]["key"] == "kafka-%s-password" % p, e
assert env["MICROSHOP_KAFKA_TLS"]["value"] == "true" and env["MICROSHOP_KAFKA_RF"]["value"] == "3"
assert env["MICROSHOP_KAFKA_VOTERS"]["value"].count("@") == 3
assert any(m["mountPath"] == env["MICROSHOP_KAFKA_TLS_DIR"]["value"] for m in c["volumeMounts"])
print("rendered StatefulSet gives start.sh every principal's password (Secret), its TLS dir, 3 voters")
PY
  KAFKA_SMOKE_NODES="${KAFKA_SMOKE_NODES:-3}" bash "$DEPLOY_DIR/kafka-smoke/run.sh" "$WORK/kafka-start.sh" pem
}

# must fail, with the given message
expect_render_failure() { # MESSAGE ARGS...
  local msg="$1"; shift
  if "$HELM" template microshop "$CHART" --namespace microshop "${KV[@]}" "$@" > /dev/null 2> "$WORK/neg.err"; then
    echo "rendered although it should have failed ($*)"; return 1
  fi
  grep -q -- "$msg" "$WORK/neg.err" || { cat "$WORK/neg.err"; echo "failed without saying: $msg"; return 1; }
  echo "refused as expected: $(grep -o -- "$msg[^\"]*" "$WORK/neg.err" | head -1)"
}

expect_schema_failure() {
  if "$PY" "$DEPLOY_DIR/lib/k8s_check.py" schema --kube-version "$KUBE_VERSION" "$1" > "$WORK/neg.out" 2>&1; then
    cat "$WORK/neg.out"; echo "the schema check accepted $1"; return 1
  fi
  grep -q "periodSecond' was unexpected" "$WORK/neg.out" || { cat "$WORK/neg.out"; return 1; }
  echo "rejected as expected: $(grep -o "Additional properties.*" "$WORK/neg.out")"
}

expect_compose_failure() {
  if "$COMPOSE_VALIDATE" "$1" > "$WORK/neg.out" 2>&1; then
    cat "$WORK/neg.out"; echo "compose-validate accepted $1"; return 1
  fi
  grep -q "restart_policy" "$WORK/neg.out" || { cat "$WORK/neg.out"; return 1; }
  echo "rejected as expected: $(tail -1 "$WORK/neg.out")"
}

# shellcheck and pyflakes would join in only where installed: off, so every machine gives one verdict.
ACTIONLINT_FLAGS=(-shellcheck= -pyflakes=)

actionlint_workflows() {
  local workflows
  mapfile -t workflows < <(find "$REPO_ROOT/.github/workflows" -maxdepth 1 \( -name '*.yml' -o -name '*.yaml' \) | sort)
  ((${#workflows[@]})) || { echo "no workflow in .github/workflows"; return 1; }
  "$ACTIONLINT" "${ACTIONLINT_FLAGS[@]}" "${workflows[@]}" || return 1
  echo "actionlint $ACTIONLINT_VERSION: ${#workflows[@]} workflow(s) clean"
}

expect_actionlint_failure() {
  if "$ACTIONLINT" "${ACTIONLINT_FLAGS[@]}" "$1" > "$WORK/neg.out" 2>&1; then
    cat "$WORK/neg.out"; echo "actionlint accepted $1"; return 1
  fi
  grep -q 'unexpected key "timeout-minute"' "$WORK/neg.out" && grep -q 'while lexing end marker' "$WORK/neg.out" ||
    { cat "$WORK/neg.out"; return 1; }
  echo "rejected as expected: $(grep -cE ':[0-9]+:[0-9]+: ' "$WORK/neg.out") errors (unknown key, unclosed expression)"
}

# Every PromQL expression of the dashboards parses: written as recording rules for promtool, with
# Grafana's interval variables replaced by a duration.
dashboard_queries_parse() {
  "$PY" - "$DEPLOY_DIR/observability/dashboards" "$WORK/dashboard-rules.yaml" <<'PY' || return 1
import glob, json, os, re, sys, yaml
rules = []
def walk(node, name):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "expr" and isinstance(v, str):
                expr = re.sub(r"\$__(rate_)?interval|\$__range", "5m", v)
                rules.append({"record": "dashboard:%s:%d" % (re.sub(r"[^a-zA-Z0-9_]", "_", name), len(rules)), "expr": expr})
            else:
                walk(v, name)
    elif isinstance(node, list):
        for v in node:
            walk(v, name)
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    walk(json.load(open(path)), os.path.basename(path)[:-5])
yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}, open(sys.argv[2], "w"))
PY
  "$PROMTOOL" check rules "$WORK/dashboard-rules.yaml"
}

expect_promtool_failure() {
  printf 'groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[5m])\n' > "$WORK/broken-rules.yaml"
  if "$PROMTOOL" check rules "$WORK/broken-rules.yaml" > "$WORK/neg.out" 2>&1; then
    cat "$WORK/neg.out"; echo "promtool accepted a rule with a syntax error"; return 1
  fi
  echo "rejected as expected: $(grep -m1 -o 'unclosed left parenthesis\|parse error.*' "$WORK/neg.out" || tail -1 "$WORK/neg.out")"
}

# kafkaLagPerReplica adds the group's lag as an External metric to that service's HPA only.
lag_autoscaling() {
  "$PY" - "$WORK/loadtest.yaml" "$WORK/default.yaml" <<'PY'
import sys, yaml
def hpas(f): return {d["metadata"]["name"]: d for d in yaml.safe_load_all(open(f)) if d and d["kind"] == "HorizontalPodAutoscaler"}
lag, default = hpas(sys.argv[1]), hpas(sys.argv[2])
external = {n: [m for m in h["spec"]["metrics"] if m["type"] == "External"] for n, h in lag.items()}
order = external.pop("microshop-order-service")
assert len(order) == 1 and order[0]["external"]["metric"]["selector"]["matchLabels"] == {"service": "order-service"}, order
assert order[0]["external"]["target"] == {"type": "AverageValue", "averageValue": "500"}, order
assert not any(external.values()), external
assert not any(m["type"] == "External" for h in default.values() for m in h["spec"]["metrics"]), "External metric by default"
print("order-service's HPA scales on microshop_kafka_consumer_lag_messages (500 per replica); no other HPA, none by default")
PY
}

# What a cluster exposes: the ingress only with TLS, no API docs, /metrics on the metrics port only
# (the one Prometheus may reach; the ingress routes to the API port).
exposure_policy() { # FILE...
  "$PY" - "$@" <<'PY'
import sys, yaml
docs = [d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]
kind = lambda k: [d for d in docs if d["kind"] == k]
errors = []
for cm in kind("ConfigMap"):
    data = cm.get("data") or {}
    if "API_DOCS_ENABLED" in data:
        if data["API_DOCS_ENABLED"] != "false": errors.append(cm["metadata"]["name"] + ": API_DOCS_ENABLED is not false")
        if not data.get("METRICS_PORT"): errors.append(cm["metadata"]["name"] + ": no METRICS_PORT")
for ing in kind("Ingress"):
    if not ing["spec"].get("tls"): errors.append(ing["metadata"]["name"] + ": Ingress without tls")
    for rule in ing["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            if path["backend"]["service"]["port"].get("name") != "http": errors.append("Ingress routes to port %s" % path["backend"]["service"]["port"])
            if path["path"].startswith(("/metrics", "/api-docs")): errors.append("Ingress routes " + path["path"])
for sm in kind("ServiceMonitor"):
    if [e["port"] for e in sm["spec"]["endpoints"]] != ["metrics"]: errors.append("ServiceMonitor scrapes another port than metrics")
for np in kind("NetworkPolicy"):
    for rule in np["spec"].get("ingress") or []:
        ports = [p["port"] for p in rule.get("ports") or []]
        if "metrics" in ports and ports != ["metrics"]: errors.append(np["metadata"]["name"] + ": metrics port opened with others %s" % ports)
if not kind("ConfigMap"): errors.append("no ConfigMap rendered")
for e in errors: print("ERROR exposure: " + e)
if errors: sys.exit(1)
print("exposure: %d Ingress with TLS, API docs off, /metrics on its own port (%d ServiceMonitor)" % (len(kind("Ingress")), len(kind("ServiceMonitor"))))
PY
}

k8s_files() { find "$REPO_ROOT/k8s" -maxdepth 1 -name '*.yaml' ! -name kustomization.yaml | sort; }

kustomization_complete() {
  "$PY" - "$REPO_ROOT/k8s" <<'PY'
import os, sys, yaml
d = sys.argv[1]
k = yaml.safe_load(open(os.path.join(d, "kustomization.yaml")))
files = sorted(f for f in os.listdir(d) if f.endswith(".yaml") and f != "kustomization.yaml")
assert sorted(k["resources"]) == files, (k["resources"], files)
print("k8s/kustomization.yaml lists all %d manifest files" % len(files))
PY
}

secrets_script() {
  "$DEPLOY_DIR/k8s-secrets.sh" > "$WORK/secrets.yaml" || return 1
  USER_SERVICE_MONGODB_URI=mongodb://u:p@h/microshop_users PRODUCT_SERVICE_MONGODB_URI=mongodb://u:p@h/microshop_products \
  NOTIFICATION_SERVICE_MONGODB_URI=mongodb://u:p@h/microshop_notifications ORDER_SERVICE_MYSQL_URL=mysql://u:p@h/microshop_orders \
  KAFKA_ADMIN_PASSWORD=a KAFKA_USER_SERVICE_PASSWORD=u KAFKA_PRODUCT_SERVICE_PASSWORD=p \
  KAFKA_ORDER_SERVICE_PASSWORD=o KAFKA_NOTIFICATION_SERVICE_PASSWORD=n \
    "$DEPLOY_DIR/k8s-secrets.sh" --external > "$WORK/secrets-external.yaml" || return 1
  "$PY" "$DEPLOY_DIR/lib/k8s_check.py" schema --kube-version "$KUBE_VERSION" "$WORK/secrets.yaml" || return 1
  "$PY" "$DEPLOY_DIR/lib/k8s_check.py" schema --kube-version "$KUBE_VERSION" "$WORK/secrets-external.yaml" || return 1
  "$PY" - "$WORK/secrets.yaml" "$WORK/secrets-external.yaml" <<'PY'
import base64, sys, yaml
internal, external = ({d["metadata"]["name"]: d["data"] for d in yaml.safe_load_all(open(f)) if d} for f in sys.argv[1:])
common = {"admin-password", "smtp-url"} | {"kafka-%s-password" % p for p in
    ("admin", "user-service", "product-service", "order-service", "notification-service")}
assert set(internal["microshop-secrets"]) == common | {"mongodb-root-password", "user-service-db-password",
    "product-service-db-password", "notification-service-db-password", "mysql-root-password", "order-service-db-password"}
assert set(external["microshop-secrets"]) == common | {"user-service-mongodb-uri", "product-service-mongodb-uri",
    "notification-service-mongodb-uri", "order-service-mysql-url"}
for s in (internal, external):
    assert set(s["microshop-jwt"]) == {"jwt-private-key", "jwt-public-key"}
    assert base64.b64decode(s["microshop-jwt"]["jwt-public-key"]).startswith(b"-----BEGIN PUBLIC KEY-----")
print("deploy/k8s-secrets.sh: both modes emit exactly the keys the manifests reference")
PY
}

# The JWT keys the chart generates and deploy/k8s-secrets.sh prints must be what the apps load:
# ES256, private key PKCS#8 (jose importPKCS8), public key SPKI (importSPKI), and a matching pair.
jwt_keys() {
  command -v node >/dev/null || { echo "node is needed for this check"; return 1; }
  "$PY" - "$WORK/default.yaml" "$WORK/secrets.yaml" "$WORK/jwt.json" <<'PY' || return 1
import base64, json, sys, yaml
chart = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "Secret" and d["metadata"]["name"].endswith("-jwt")][0]
script = [d for d in yaml.safe_load_all(open(sys.argv[2])) if d and d["metadata"]["name"] == "microshop-jwt"][0]
json.dump({"chart": {"private": chart["stringData"]["jwt-private-key"]},
           "script": {k.split("-")[1]: base64.b64decode(v).decode() for k, v in script["data"].items()}},
          open(sys.argv[3], "w"))
PY
  node - "$WORK/jwt.json" <<'JS'
const crypto = require('node:crypto');
const keys = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
for (const [source, { private: priv, public: pub }] of Object.entries(keys)) {
  if (!priv.startsWith('-----BEGIN PRIVATE KEY-----')) throw new Error(`${source}: private key is not PKCS#8 PEM`);
  const key = crypto.createPrivateKey(priv);
  const curve = key.asymmetricKeyDetails && key.asymmetricKeyDetails.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') throw new Error(`${source}: not a P-256 key (${key.asymmetricKeyType} ${curve})`);
  const derived = crypto.createPublicKey(key).export({ type: 'spki', format: 'pem' });
  if (pub !== undefined && pub.trim() !== derived.trim()) throw new Error(`${source}: public key does not match the private key`);
  const sig = crypto.sign('sha256', Buffer.from('x'), { key, dsaEncoding: 'ieee-p1363' });
  if (!crypto.verify('sha256', Buffer.from('x'), { key: crypto.createPublicKey(derived), dsaEncoding: 'ieee-p1363' }, sig)) throw new Error(`${source}: signature check failed`);
}
console.log('JWT keys (chart-generated, deploy/k8s-secrets.sh): P-256, PKCS#8 private, SPKI public, pair signs and verifies (ES256)');
JS
}

compose_policy() {
  "$COMPOSE_VALIDATE" -print docker-compose.yml > "$WORK/compose.yaml" 2>/dev/null || return 1
  "$PY" - "$WORK/compose.yaml" <<'PY'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
s = c["services"]
apps = {"user-service": 4000, "product-service": 8000, "order-service": 3000, "notification-service": 5000}
errors = []
for name, port in apps.items():
    a = s[name]
    if a.get("build", {}).get("args", {}).get("APP") != name: errors.append(name + ": build arg APP")
    if not a.get("read_only"): errors.append(name + ": not read_only")
    if "ALL" not in (a.get("cap_drop") or []): errors.append(name + ": cap_drop ALL missing")
    if "no-new-privileges:true" not in (a.get("security_opt") or []): errors.append(name + ": no-new-privileges missing")
    if str(a["environment"].get("PORT")) != str(port): errors.append(name + ": PORT is not %d" % port)
    for dep, d in a.get("depends_on", {}).items():
        if d["condition"] not in ("service_healthy", "service_completed_successfully"):
            errors.append("%s: depends_on %s is not health-gated" % (name, dep))
        if d["condition"] == "service_healthy" and not s[dep].get("healthcheck"):
            errors.append("%s: depends on %s, which has no healthcheck" % (name, dep))
# the bus: Kafka runs the chart's start.sh, SASL_SSL, the apps wait for kafka-topics (topics and ACLs)
k = s["kafka"]
if not any(v["source"].endswith("helm/microshop/files/kafka/start.sh") and v["target"] == "/opt/microshop/start.sh"
           for v in k.get("volumes", [])):
    errors.append("kafka: does not mount helm/microshop/files/kafka/start.sh")
if k.get("entrypoint") != ["/bin/sh", "/opt/microshop/start.sh"]: errors.append("kafka: not started by start.sh")
if k["environment"].get("MICROSHOP_KAFKA_TLS") != "true": errors.append("kafka: TLS off")
for p in ("ADMIN", "USER_SERVICE", "PRODUCT_SERVICE", "ORDER_SERVICE", "NOTIFICATION_SERVICE"):
    if not k["environment"].get("MICROSHOP_KAFKA_PASSWORD_" + p): errors.append("kafka: no password for " + p)
if s["kafka-topics"].get("command") != ["node", "dist/tools/create-topics.js"]: errors.append("kafka-topics: command")
for name in list(apps) + ["kafka-topics"]:
    e = s[name]["environment"]
    if e.get("KAFKA_SASL_MECHANISM") != "scram-sha-512" or e.get("KAFKA_SSL") != "true" or not e.get("KAFKA_SASL_PASSWORD"):
        errors.append(name + ": not on SASL_SSL with a password")
    if e.get("KAFKA_SASL_PASSWORD", "").startswith("microshop-dev-"): errors.append(name + ": development Kafka password (refused in production)")
    if name in apps and s[name]["depends_on"].get("kafka-topics", {}).get("condition") != "service_completed_successfully":
        errors.append(name + ": does not wait for kafka-topics")
for infra, image in {"mongo": "mongo:7", "mysql": "mysql:8.4", "kafka": "apache/kafka:3.9", "mailpit": "axllent/mailpit"}.items():
    if not s[infra]["image"].startswith(image): errors.append("%s: image %s" % (infra, s[infra]["image"]))
for obs in ("prometheus", "grafana", "jaeger"):
    if s[obs].get("profiles") != ["observability"]: errors.append(obs + ": not under profile observability")
for e in errors: print("ERROR compose: " + e)
if errors: sys.exit(1)
print("compose: 4 apps hardened (read_only, cap_drop ALL, no-new-privileges), health-gated start, SASL_SSL after kafka-topics, Kafka from the chart's start.sh, infra images and profile as specified")
PY
}

dockerfile_static() {
  "$PY" - Dockerfile .dockerignore <<'PY'
import re, sys
d = open(sys.argv[1]).read(); ign = open(sys.argv[2]).read()
checks = {
  "multi-stage (>= 3 FROM)": len(re.findall(r"^FROM ", d, re.M)) >= 3,
  "build-arg APP": re.search(r"^ARG APP$", d, re.M) is not None,
  "nest build $APP": 'nest build "$APP"' in d,
  "production dependencies only (npm ci --omit=dev)": "npm ci --omit=dev" in d,
  "runs as USER node": re.findall(r"^USER (\S+)", d, re.M)[-1:] == ["node"],
  "HEALTHCHECK on /health/live": "HEALTHCHECK" in d,
  "exec-form CMD": re.search(r'^CMD \[', d, re.M) is not None,
  ".dockerignore is an allow-list": ign.lstrip().splitlines()[3].strip() == "*" or "\n*\n" in ign,
  ".dockerignore keeps .keys and .env out": "**/.keys/" in ign and "**/.env" in ign,
}
hc = open("deploy/docker/healthcheck.js").read()
checks["healthcheck.js probes /health/live"] = "/health/live" in hc
bad = [k for k, ok in checks.items() if not ok]
for k in bad: print("ERROR Dockerfile: " + k)
if bad: sys.exit(1)
print("Dockerfile: %d static checks passed (cannot be built here: no Docker engine)" % len(checks))
PY
}

echo "== Helm chart"
step "helm lint --strict (default values)"            helm_clean lint --strict "$CHART" "${KV[@]}"
step "helm lint --strict (values-production.yaml)"    helm_clean lint --strict "$CHART" "${KV[@]}" "${PROD[@]}"
step "helm template default (in-chart stores)"        render default
step "helm template production (external, existing secrets)" render production "${PROD[@]}"
step "helm template HA (3 Kafka nodes, ingress, no HPA)" render ha "${HA[@]}"
step "helm template load-test Job (loadTest.enabled)"  render loadtest --set loadTest.enabled=true --set services.orderService.autoscaling.kafkaLagPerReplica=500
step "load-test ConfigMap holds bench/k6/shopper.js"  loadtest_script_matches
step "HPA on consumer lag (kafkaLagPerReplica)"        lag_autoscaling
step "helm template observability fixtures"           observability_fixture_render
step "deploy/observability provisioned as-is"         observability_folder_matches
step "external MongoDB without URIs is refused"       expect_render_failure "mongodb.external.uris.userService" --set mongodb.enabled=false
step "external Kafka without brokers is refused"      expect_render_failure "kafka.external.brokers is required" --set kafka.enabled=false
step "more replicas than partitions are refused"      expect_render_failure "services.orderService may run 12 replicas, more than config.kafkaTopicPartitions (6)" --set services.orderService.autoscaling.maxReplicas=12
step "an ingress without TLS is refused"             expect_render_failure "ingress.tls is required when ingress.enabled" --set ingress.enabled=true
step "exposure: production render"                   exposure_policy "$WORK/production.yaml"
step "a Kafka cluster id starting with - is refused"    expect_render_failure "kafka.clusterId" --set kafka.clusterId=-BSlCCwPtRI2H27IxJ1fr5
step "in-chart Kafka with SCRAM-SHA-256 is refused"     expect_render_failure "supports scram-sha-512 only" --set kafka.sasl.mechanism=scram-sha-256
step "Kafka TLS without a certificate is refused"      expect_render_failure "kafka.tls.enabled needs kafka.tls.existingSecret" --set kafka.tls.enabled=true
step "external SASL Kafka without passwords is refused" expect_render_failure "secrets.kafkaPasswords.admin" --set kafka.enabled=false --set kafka.external.brokers=k:9092
step "a misspelt value is refused (values.schema.json)" expect_render_failure "additional properties 'logLevell' not allowed" --set config.logLevell=debug

echo "== Kubernetes schemas ($KUBE_VERSION, strict) and policy"
for r in default production ha observability loadtest; do
  step "schema: $r render"                            "$PY" "$DEPLOY_DIR/lib/k8s_check.py" schema "${VERBOSE_FLAG[@]}" --kube-version "$KUBE_VERSION" "$WORK/$r.yaml"
done
# kustomization.yaml is kustomize's own file, not a Kubernetes API object: not schema-checked
mapfile -t K8S < <(k8s_files)
step "schema: k8s/*.yaml"                             "$PY" "$DEPLOY_DIR/lib/k8s_check.py" schema "${VERBOSE_FLAG[@]}" --kube-version "$KUBE_VERSION" "${K8S[@]}"
step "schema: deploy/k8s-secrets.sh output"           secrets_script
step "JWT keys are ES256 (P-256, PKCS#8/SPKI)"         jwt_keys
for r in default production ha loadtest; do
  step "policy: $r render"                            "$PY" "$DEPLOY_DIR/lib/k8s_check.py" policy "${VERBOSE_FLAG[@]}" "$WORK/$r.yaml"
done
step "policy: k8s/*.yaml"                             "$PY" "$DEPLOY_DIR/lib/k8s_check.py" policy "${VERBOSE_FLAG[@]}" "${K8S[@]}"
step "exposure: k8s/*.yaml"                          exposure_policy "${K8S[@]}"
step "k8s/ in step with the chart"                    "$DEPLOY_DIR/gen-k8s.sh" --check
step "k8s/kustomization.yaml complete"                kustomization_complete

echo "== Kafka for real (the chart's start.sh with the Kafka jars on 127.0.0.1)"
step "chart Kafka: SASL_SSL broker, create-topics ACLs, refusals" kafka_smoke

echo "== docker compose and Dockerfile"
step "docker-compose.yml valid (compose-go, all profiles)" "$COMPOSE_VALIDATE" docker-compose.yml
step "docker-compose.yml app hardening and start order" compose_policy
step "Dockerfile and .dockerignore"                   dockerfile_static

echo "== CI workflow (actionlint)"
step "actionlint (.github/workflows)"                 actionlint_workflows

echo "== alert rules (promtool)"
mapfile -t RULE_FILES < <(find "$DEPLOY_DIR/observability/alerts" -maxdepth 1 \( -name '*.yaml' -o -name '*.yml' \) | sort)
step "promtool check rules (deploy/observability/alerts)" "$PROMTOOL" check rules "${RULE_FILES[@]}"
mapfile -t RULE_TESTS < <(find "$DEPLOY_DIR/observability/tests" -maxdepth 1 -name '*.yaml' | sort)
step "promtool test rules (deploy/observability/tests)" "$PROMTOOL" test rules "${RULE_TESTS[@]}"
step "dashboard queries parse (promtool)"             dashboard_queries_parse
step "promtool check rules rejects a broken rule"       expect_promtool_failure

echo "== the validators reject what they should"
step "strict schema rejects an unknown field"         expect_schema_failure "$DEPLOY_DIR/testdata/k8s-unknown-field.yaml"
step "compose-validate rejects an unknown key"        expect_compose_failure "$DEPLOY_DIR/testdata/compose-unknown-field.yml"
step "actionlint rejects a broken workflow"           expect_actionlint_failure "$DEPLOY_DIR/testdata/workflow-broken.yml"

echo
if (( failed )); then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "deploy-check: $passed passed, $failed failed ($((SECONDS - started))s)"
(( failed == 0 ))
