#!/usr/bin/env bash
# Print the two Secrets the k8s/ manifests (and the chart with existing Secrets) expect, with
# random passwords and a fresh P-256 key pair for ES256 JWTs (private PKCS#8, public SPKI).
# Nothing is written to disk; pipe it to kubectl:
#
#   kubectl apply -f k8s/namespace.yaml
#   deploy/k8s-secrets.sh | kubectl -n microshop create -f -      # `create`: never overwrites
#
# In-chart stores (default): generates mongodb-root-password, <service>-db-password,
# mysql-root-password. With --external, the store URLs come from the environment instead:
#   USER_SERVICE_MONGODB_URI PRODUCT_SERVICE_MONGODB_URI NOTIFICATION_SERVICE_MONGODB_URI ORDER_SERVICE_MYSQL_URL
# Always: SMTP_URL (default smtp://smtp.example.com:587), ADMIN_PASSWORD (default: random), and the
# Kafka SCRAM passwords kafka-<principal>-password for admin, user-service, product-service,
# order-service, notification-service from KAFKA_<PRINCIPAL>_PASSWORD (e.g. KAFKA_USER_SERVICE_PASSWORD):
# random by default for the in-chart Kafka (its broker creates the users on first start), required
# with --external (the principals of the external Kafka).
# Options: --namespace NS (default microshop), --secret NAME (microshop-secrets), --jwt-secret NAME (microshop-jwt).
set -euo pipefail

namespace=microshop secret=microshop-secrets jwt_secret=microshop-jwt external=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) namespace="$2"; shift 2 ;;
    --secret) secret="$2"; shift 2 ;;
    --jwt-secret) jwt_secret="$2"; shift 2 ;;
    --external) external=true; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "k8s-secrets: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v openssl >/dev/null || { echo "k8s-secrets: openssl is required" >&2; exit 1; }

b64() { printf '%s' "$1" | base64 | tr -d '\n'; }
# URL-safe: the passwords end up inside connection URLs
password() { openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | head -c 32; }
entry() { printf '  %s: %s\n' "$1" "$(b64 "$2")"; }

cat <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: $secret
  namespace: $namespace
  labels:
    app.kubernetes.io/part-of: microshop
type: Opaque
data:
YAML
entry admin-password "${ADMIN_PASSWORD:-$(password)}"
entry smtp-url "${SMTP_URL:-smtp://smtp.example.com:587}"
if [[ "$external" == true ]]; then
  for var in USER_SERVICE_MONGODB_URI PRODUCT_SERVICE_MONGODB_URI NOTIFICATION_SERVICE_MONGODB_URI ORDER_SERVICE_MYSQL_URL; do
    [[ -n "${!var:-}" ]] || { echo "k8s-secrets: --external needs $var" >&2; exit 1; }
    key="$(printf '%s' "$var" | tr 'A-Z_' 'a-z-')"
    entry "$key" "${!var}"
  done
fi
for principal in admin user-service product-service order-service notification-service; do
  var="KAFKA_$(printf '%s' "$principal" | tr 'a-z-' 'A-Z_')_PASSWORD"
  if [[ "$external" == true && -z "${!var:-}" ]]; then
    echo "k8s-secrets: --external needs $var (the password of $principal on the external Kafka)" >&2; exit 1
  fi
  entry "kafka-$principal-password" "${!var:-$(password)}"
done
if [[ "$external" != true ]]; then
  for key in mongodb-root-password user-service-db-password product-service-db-password \
             notification-service-db-password mysql-root-password order-service-db-password; do
    entry "$key" "$(password)"
  done
fi

private="$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)"
public="$(printf '%s\n' "$private" | openssl pkey -pubout)"
cat <<YAML
---
apiVersion: v1
kind: Secret
metadata:
  name: $jwt_secret
  namespace: $namespace
  labels:
    app.kubernetes.io/part-of: microshop
type: Opaque
data:
YAML
entry jwt-private-key "$private"$'\n'
entry jwt-public-key "$public"$'\n'
