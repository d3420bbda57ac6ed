#!/usr/bin/env bash
# A real broker from MicroShop's Kafka start script, and real clients against it: the script the
# chart renders into its ConfigMap (or any start.sh given as $1) is run with the Kafka jars of the
# local infrastructure (infra/kafka.sh fetches them) on 127.0.0.1, with TLS from a throwaway CA and
# the chart's principals, then deploy/kafka-smoke/clients.js checks, with kafkajs, that
#   - create-topics (npm run kafka:topics) as admin creates the topics and the ACLs,
#   - a service principal connects over SASL_SSL with the CA and may write only its own topics,
#   - a client without SASL, one with a wrong password, and one that does not trust the CA are refused.
#
#   deploy/kafka-smoke/run.sh [START_SH] [pem|pkcs12]
# Ports: KAFKA_SMOKE_PORT (19092) and the next one (controller). Needs java 17+, openssl (pem) or
# keytool (pkcs12), node with the repository's node_modules.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
START_SH="${1:-$REPO_ROOT/helm/microshop/files/kafka/start.sh}"
TLS_FORM="${2:-pem}"
KAFKA_VERSION="${KAFKA_VERSION:-3.9.2}"
MICROSHOP_CACHE="${MICROSHOP_CACHE:-$HOME/.cache/microshop}"
KAFKA_LIBS="$MICROSHOP_CACHE/kafka-$KAFKA_VERSION/libs"
PORT="${KAFKA_SMOKE_PORT:-19092}"
# KAFKA_SMOKE_NODES=3: a quorum of three (node i on PORT+2i, controller PORT+2i+1), replication
# between them over SASL_SSL as admin, replication factor 3 and min.insync.replicas 2 as the chart's.
NODES="${KAFKA_SMOKE_NODES:-1}"

command -v java >/dev/null || { echo "java is needed (a JDK 17+)"; exit 1; }
if [[ ! -f "$KAFKA_LIBS/.complete" ]]; then
  command -v mvn >/dev/null || { echo "no Kafka jars in $KAFKA_LIBS and no mvn to fetch them (infra/kafka/pom.xml)"; exit 1; }
  echo "fetching the Kafka $KAFKA_VERSION jars into $KAFKA_LIBS (once)"
  mvn -q -B -f "$REPO_ROOT/infra/kafka/pom.xml" dependency:copy-dependencies -Dkafka.version="$KAFKA_VERSION" \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS.tmp.$$" && touch "$KAFKA_LIBS.tmp.$$/.complete" &&
    rm -rf "$KAFKA_LIBS" && mv "$KAFKA_LIBS.tmp.$$" "$KAFKA_LIBS"
fi
for p in $(seq "$PORT" $((PORT + 2 * NODES - 1))); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use (set KAFKA_SMOKE_PORT)"; exit 1; fi
done

work="$(mktemp -d)"
broker_pids=()
# All nodes at once (one by one, the last ones wait for a quorum that is gone), then a hard stop
# after 10 s: the data is thrown away anyway.
cleanup() {
  local pid _
  ((${#broker_pids[@]})) || { rm -rf "$work"; return 0; }
  kill "${broker_pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 20); do
    for pid in "${broker_pids[@]}"; do kill -0 "$pid" 2>/dev/null && break; pid=""; done
    [[ -z "${pid:-}" ]] && break
    sleep 0.5
  done
  kill -9 "${broker_pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A Kafka "distribution" whose two scripts run the jars (what bin/kafka-*.sh do in the image).
mkdir -p "$work/kafka/bin" "$work/tls" "$work/data"
cat > "$work/kafka/bin/kafka-storage.sh" <<SH
#!/bin/sh
exec java -Xmx256m -Dlog4j.configuration=file:$REPO_ROOT/infra/kafka/log4j.properties -Dkafka.log.file=$work/kafka.log -cp '$KAFKA_LIBS/*' kafka.tools.StorageTool "\$@"
SH
cat > "$work/kafka/bin/kafka-server-start.sh" <<SH
#!/bin/sh
exec java -Xms256m -Xmx512m -XX:+UseG1GC -Dlog4j.configuration=file:$REPO_ROOT/infra/kafka/log4j.properties -Dkafka.log.file=$work/kafka.log -cp '$KAFKA_LIBS/*' kafka.Kafka "\$@"
SH
chmod +x "$work/kafka/bin/"*.sh

# Kafka's own generator: a random base64url id may start with "-", which the storage tool reads as an option.
cluster_id="$("$work/kafka/bin/kafka-storage.sh" random-uuid)"

# TLS: a CA and a broker certificate for localhost / 127.0.0.1.
case "$TLS_FORM" in
  pem)
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=smoke-ca \
      -keyout "$work/ca.key" -out "$work/tls/ca.crt" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
      -keyout "$work/tls/tls.key" -out "$work/broker.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' > "$work/ext.cnf"
    openssl x509 -req -in "$work/broker.csr" -CA "$work/tls/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
      -days 1 -extfile "$work/ext.cnf" -out "$work/tls/tls.crt" 2>/dev/null
    ;;
  pkcs12)
    KAFKA_TLS_SANS="dns:localhost,ip:127.0.0.1" bash "$REPO_ROOT/deploy/compose/kafka-tls.sh" "$work/tls" ;;
  *) echo "TLS form $TLS_FORM: pem or pkcs12"; exit 1 ;;
esac

# The principals' passwords, random, as the chart generates them.
pw() { node -e "process.stdout.write(require('crypto').randomBytes(18).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x'))"; }
export MICROSHOP_KAFKA_PASSWORD_ADMIN="$(pw)" MICROSHOP_KAFKA_PASSWORD_USER_SERVICE="$(pw)" \
  MICROSHOP_KAFKA_PASSWORD_PRODUCT_SERVICE="$(pw)" MICROSHOP_KAFKA_PASSWORD_ORDER_SERVICE="$(pw)" \
  MICROSHOP_KAFKA_PASSWORD_NOTIFICATION_SERVICE="$(pw)"

voters="" brokers=""
for i in $(seq 0 $((NODES - 1))); do
  voters+="${voters:+,}$i@127.0.0.1:$((PORT + 2 * i + 1))"
  brokers+="${brokers:+,}127.0.0.1:$((PORT + 2 * i))"
done
rf=$((NODES < 3 ? NODES : 3)) min_isr=$((NODES >= 3 ? 2 : 1))
for i in $(seq 0 $((NODES - 1))); do
  mkdir -p "$work/n$i"
  (
    export KAFKA_HOME="$work/kafka" TMPDIR="$work/n$i" POD_NAME="microshop-kafka-$i" \
      MICROSHOP_KAFKA_CLUSTER_ID="$cluster_id" MICROSHOP_KAFKA_VOTERS="$voters" \
      MICROSHOP_KAFKA_ADVERTISED_HOST=localhost MICROSHOP_KAFKA_LISTEN_HOST=127.0.0.1 \
      MICROSHOP_KAFKA_CLIENT_PORT=$((PORT + 2 * i)) MICROSHOP_KAFKA_CONTROLLER_PORT=$((PORT + 2 * i + 1)) \
      MICROSHOP_KAFKA_DATA_DIR="$work/data/n$i/kraft" MICROSHOP_KAFKA_RF="$rf" MICROSHOP_KAFKA_MIN_ISR="$min_isr" \
      MICROSHOP_KAFKA_REBALANCE_DELAY_MS=0 MICROSHOP_KAFKA_TLS=true MICROSHOP_KAFKA_TLS_DIR="$work/tls"
    exec sh "$START_SH"
  ) > "$work/broker$i.out" 2>&1 &
  broker_pids+=($!)
done

# "Kafka Server started" is logged to kafka.log; one line per node.
started() { local n; n="$(grep -c 'Kafka Server started' "$work/kafka.log" 2>/dev/null)" || true; echo "${n:-0}"; }
for _ in $(seq 1 120); do
  (( $(started) >= NODES )) && break
  for i in "${!broker_pids[@]}"; do
    if ! kill -0 "${broker_pids[$i]}" 2>/dev/null; then echo "node $i exited:"; tail -40 "$work/broker$i.out"; exit 1; fi
  done
  sleep 0.5
done
(( $(started) >= NODES )) ||
  { echo "the broker(s) did not start in 60 s:"; tail -40 "$work/broker0.out"; tail -40 "$work/kafka.log"; exit 1; }
echo "$NODES node(s) started from $(basename "$START_SH") (SASL_SSL on $brokers, TLS $TLS_FORM)"

cd "$REPO_ROOT"
KAFKA_SMOKE_BROKER="$brokers" KAFKA_SMOKE_RF="$rf" KAFKA_SMOKE_CA="$work/tls/ca.crt" node deploy/kafka-smoke/clients.js ||
  { echo "--- broker log"; tail -30 "$work/broker0.out"; grep -E 'ERROR|WARN' "$work/kafka.log" | tail -20; exit 1; }
# The admin client settings start.sh writes (compose's health check uses them with this tool).
api_versions() {
  java -Xmx128m -cp "$KAFKA_LIBS/*" -Dlog4j.configuration=file:"$REPO_ROOT/infra/kafka/log4j.properties" \
    -Dkafka.log.file="$work/tool.log" kafka.admin.BrokerApiVersionsCommand --bootstrap-server "localhost:$PORT" \
    --command-config "$work/n0/microshop-kafka/admin.properties" > "$work/api-versions.out" 2>&1
}
# twice: a JVM tool on a loaded machine may time out once
api_versions || api_versions ||
  { cat "$work/api-versions.out"; echo "kafka-broker-api-versions with admin.properties failed"; exit 1; }
echo "ok   kafka-broker-api-versions.sh --command-config admin.properties (the compose health check) answers"
echo "kafka-smoke: passed ($(basename "$START_SH"), $NODES node(s), TLS $TLS_FORM): SASL_SSL, create-topics ACLs, refusals, admin tool settings"
