#!/bin/sh
# Starts one MicroShop Kafka node (KRaft, combined broker+controller) with SASL/SCRAM-SHA-512 on
# the client listener (over TLS when MICROSHOP_KAFKA_TLS=true) and the StandardAuthorizer.
# Shared by the Helm chart (a ConfigMap built from helm/microshop/files/kafka/start.sh) and
# docker-compose.yml (mounted from the repository). Everything comes from the environment:
#
#   MICROSHOP_KAFKA_NODE_ID          node id; unset: the ordinal of POD_NAME (<statefulset>-<n>)
#   MICROSHOP_KAFKA_CLUSTER_ID       22-character base64url cluster id (used on first format only)
#   MICROSHOP_KAFKA_VOTERS           controller.quorum.voters, e.g. 0@kafka-0.kafka-headless:9093
#   MICROSHOP_KAFKA_ADVERTISED_HOST  the name clients reach this node by (in the certificate's SANs)
#   MICROSHOP_KAFKA_LISTEN_HOST      address to listen on; empty (default): every interface
#   MICROSHOP_KAFKA_CLIENT_PORT      SASL listener port (9092); MICROSHOP_KAFKA_CONTROLLER_PORT (9093)
#   MICROSHOP_KAFKA_DATA_DIR         log.dirs (/var/lib/kafka/data/kraft)
#   MICROSHOP_KAFKA_RF               replication factor of internal and default topics (1)
#   MICROSHOP_KAFKA_MIN_ISR          min.insync.replicas (1)
#   MICROSHOP_KAFKA_PARTITIONS       num.partitions (3)
#   MICROSHOP_KAFKA_PRINCIPALS       SCRAM users created on first format (admin and the four services)
#   MICROSHOP_KAFKA_PASSWORD_<P>     the password of principal P, upper case, '-' as '_'
#                                    (MICROSHOP_KAFKA_PASSWORD_USER_SERVICE); admin is the broker's own
#   MICROSHOP_KAFKA_TLS              true: the client listener is SASL_SSL
#   MICROSHOP_KAFKA_TLS_DIR          PEM tls.crt (chain), tls.key (PKCS#8, unencrypted), ca.crt, as
#                                    cert-manager writes them; or keystore.p12 + keystore.password
#                                    (PKCS#12) and ca.crt
#   KAFKA_HOME                       the Kafka distribution (/opt/kafka, as in the apache/kafka image)
#
# SCRAM users are written into the metadata log when the storage is formatted, which happens on
# the first start only (--ignore-formatted): a principal added or a password changed later must be
# applied with kafka-configs.sh --alter --add-config 'SCRAM-SHA-512=[password=...]' as admin.
set -eu

fail() { echo "start.sh: $*" >&2; exit 1; }

KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
principals="${MICROSHOP_KAFKA_PRINCIPALS:-admin user-service product-service order-service notification-service}"
node_id="${MICROSHOP_KAFKA_NODE_ID:-}"
if [ -z "$node_id" ]; then
  [ -n "${POD_NAME:-}" ] || fail "MICROSHOP_KAFKA_NODE_ID or POD_NAME must be set"
  node_id="${POD_NAME##*-}"
fi
cluster_id="${MICROSHOP_KAFKA_CLUSTER_ID:?MICROSHOP_KAFKA_CLUSTER_ID must be set}"
voters="${MICROSHOP_KAFKA_VOTERS:?MICROSHOP_KAFKA_VOTERS must be set}"
advertised="${MICROSHOP_KAFKA_ADVERTISED_HOST:?MICROSHOP_KAFKA_ADVERTISED_HOST must be set}"
listen_host="${MICROSHOP_KAFKA_LISTEN_HOST:-}"
client_port="${MICROSHOP_KAFKA_CLIENT_PORT:-9092}"
controller_port="${MICROSHOP_KAFKA_CONTROLLER_PORT:-9093}"
data_dir="${MICROSHOP_KAFKA_DATA_DIR:-/var/lib/kafka/data/kraft}"
rf="${MICROSHOP_KAFKA_RF:-1}"
min_isr="${MICROSHOP_KAFKA_MIN_ISR:-1}"
work="${TMPDIR:-/tmp}/microshop-kafka"

# password_of PRINCIPAL: its password from MICROSHOP_KAFKA_PASSWORD_<PRINCIPAL>. The passwords end
# up in a JAAS string and a SCRAM spec, hence the character set (generated passwords are alphanumeric).
password_of() {
  var="MICROSHOP_KAFKA_PASSWORD_$(echo "$1" | tr 'a-z-' 'A-Z_')"
  eval "pw=\${$var:-}"
  [ -n "$pw" ] || fail "$var is empty: every principal needs a password"
  case "$pw" in
    *[!A-Za-z0-9._~+-]*) fail "$var has characters outside A-Z a-z 0-9 . _ ~ + -" ;;
  esac
  printf '%s' "$pw"
}
admin_password="$(password_of admin)"

umask 077
mkdir -p "$work"
conf="$work/server.properties"

if [ "${MICROSHOP_KAFKA_TLS:-false}" = true ]; then
  tls_dir="${MICROSHOP_KAFKA_TLS_DIR:?MICROSHOP_KAFKA_TLS_DIR must be set when MICROSHOP_KAFKA_TLS=true}"
  [ -s "$tls_dir/ca.crt" ] || fail "$tls_dir/ca.crt is missing"
  protocol=SASL_SSL
  if [ -s "$tls_dir/tls.key" ] && [ -s "$tls_dir/tls.crt" ]; then
    grep -q 'BEGIN PRIVATE KEY' "$tls_dir/tls.key" ||
      fail "$tls_dir/tls.key is not an unencrypted PKCS#8 PEM key (cert-manager: privateKey.encoding: PKCS8)"
    # Kafka's PEM keystore: one file with the private key and the certificate chain.
    cat "$tls_dir/tls.key" "$tls_dir/tls.crt" > "$work/keystore.pem"
    keystore="ssl.keystore.type=PEM
ssl.keystore.location=$work/keystore.pem"
  elif [ -s "$tls_dir/keystore.p12" ] && [ -s "$tls_dir/keystore.password" ]; then
    keystore="ssl.keystore.type=PKCS12
ssl.keystore.location=$tls_dir/keystore.p12
ssl.keystore.password=$(cat "$tls_dir/keystore.password")"
  else
    fail "$tls_dir holds neither tls.crt + tls.key (PEM) nor keystore.p12 + keystore.password"
  fi
  # The CA verifies the other nodes' certificates (replication runs over this listener) and
  # their host names (ssl.endpoint.identification.algorithm defaults to https).
  tls_props="$keystore
ssl.truststore.type=PEM
ssl.truststore.location=$tls_dir/ca.crt"
else
  protocol=SASL_PLAINTEXT
  tls_props="# no TLS on the client listener (MICROSHOP_KAFKA_TLS is not true)"
fi

cat > "$conf" <<PROPERTIES
# Written by start.sh on every start.
process.roles=broker,controller
node.id=${node_id}
controller.quorum.voters=${voters}
# CLIENT: the services, the tools and replication between the nodes, authenticated with
# SASL/SCRAM-SHA-512 (${protocol}). CONTROLLER: the KRaft quorum, PLAINTEXT and unauthenticated
# (Kafka supports no SCRAM on a KRaft controller listener): its peers are the Kafka nodes only
# (the chart's NetworkPolicy lets no other pod reach ${controller_port}), whose principal there is ANONYMOUS.
listeners=CLIENT://${listen_host}:${client_port},CONTROLLER://${listen_host}:${controller_port}
advertised.listeners=CLIENT://${advertised}:${client_port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=CLIENT:${protocol},CONTROLLER:PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${admin_password}";
${tls_props}
# Each service may write only its own topics and read only what it consumes: the ACLs come from
# create-topics (npm run kafka:topics; the chart's kafka-topics Job, compose's kafka-topics).
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:ANONYMOUS
# a subdirectory: a volume root may hold lost+found, which Kafka takes for a bad partition dir
log.dirs=${data_dir}
num.partitions=${MICROSHOP_KAFKA_PARTITIONS:-3}
default.replication.factor=${rf}
min.insync.replicas=${min_isr}
offsets.topic.replication.factor=${rf}
transaction.state.log.replication.factor=${rf}
transaction.state.log.min.isr=${min_isr}
# topics are created explicitly (create-topics, and each service its own): a typo creates none
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=${MICROSHOP_KAFKA_REBALANCE_DELAY_MS:-3000}
PROPERTIES

# The admin's client settings for the Kafka tools in this container (health checks, and
# kafka-configs.sh / kafka-acls.sh --command-config "$work/admin.properties").
cat > "$work/admin.properties" <<PROPERTIES
security.protocol=${protocol}
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${admin_password}";
$(if [ "$protocol" = SASL_SSL ]; then printf 'ssl.truststore.type=PEM\nssl.truststore.location=%s\n' "$tls_dir/ca.crt"; fi)
PROPERTIES

# The SCRAM users go into the metadata log at format time. --ignore-formatted: a formatted
# storage is left as it is, with the users (and passwords) of its first start. A storage that an
# earlier version formatted without users (an open bus) would take no client at all: refused
# with the way out, rather than started.
marker="$data_dir/.microshop-scram-users"
if [ -f "$data_dir/meta.properties" ] && [ ! -f "$marker" ]; then
  fail "$data_dir was formatted without SCRAM users (before SASL was on), so no client could sign in.
Start from empty storage: delete the data of every node (the chart: scale the StatefulSet to 0 and
delete the PersistentVolumeClaims data-<release>-kafka-<n>); events not consumed yet are lost."
fi
set --
for p in $principals; do
  pw="$(password_of "$p")"
  set -- "$@" --add-scram "SCRAM-SHA-512=[name=$p,password=$pw]"
done
"$KAFKA_HOME/bin/kafka-storage.sh" format --ignore-formatted -t "$cluster_id" -c "$conf" "$@"
touch "$marker"
exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$conf"
