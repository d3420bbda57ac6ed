#!/bin/sh
# One-shot (compose service kafka-tls): a CA and a certificate for the broker, with the JDK's
# keytool of the apache/kafka image, generated once into the named volumes:
#   $1 (kafka-tls, the broker only): keystore.p12 + keystore.password (PKCS#12), ca.crt
#   $2 (kafka-ca, every client):     ca.crt
# The broker certificate's names: KAFKA_TLS_SANS (keytool SAN syntax), default dns:kafka,dns:localhost.
# The CA's private key is not kept: delete the two volumes to get a new CA and certificate.
set -eu
tls="${1:?usage: kafka-tls.sh TLS_DIR [CA_DIR]}"
ca_dir="${2:-}"
sans="${KAFKA_TLS_SANS:-dns:kafka,dns:localhost}"
owner="${KAFKA_TLS_OWNER:-}"   # uid:gid of the broker (the apache/kafka image's appuser)
keytool="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"

if [ -s "$tls/keystore.p12" ] && [ -s "$tls/ca.crt" ]; then
  echo "kafka-tls: $tls already holds a keystore"
else
  work="$(mktemp -d)"
  pass="$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
  "$keytool" -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname CN=microshop-kafka-ca \
    -ext bc:c -validity 3650 -storetype PKCS12 -keystore "$work/ca.p12" -storepass "$pass"
  "$keytool" -exportcert -rfc -alias ca -keystore "$work/ca.p12" -storepass "$pass" -file "$work/ca.crt"
  "$keytool" -genkeypair -alias kafka -keyalg EC -groupname secp256r1 -dname CN=kafka \
    -validity 825 -storetype PKCS12 -keystore "$work/keystore.p12" -storepass "$pass"
  "$keytool" -certreq -alias kafka -keystore "$work/keystore.p12" -storepass "$pass" -file "$work/kafka.csr"
  "$keytool" -gencert -alias ca -keystore "$work/ca.p12" -storepass "$pass" -infile "$work/kafka.csr" \
    -outfile "$work/kafka.crt" -rfc -validity 825 -ext "SAN=$sans" -ext EKU=serverAuth,clientAuth
  "$keytool" -importcert -noprompt -alias ca -keystore "$work/keystore.p12" -storepass "$pass" -file "$work/ca.crt"
  "$keytool" -importcert -alias kafka -keystore "$work/keystore.p12" -storepass "$pass" -file "$work/kafka.crt"
  mkdir -p "$tls"
  printf '%s' "$pass" > "$tls/keystore.password"
  cp "$work/keystore.p12" "$work/ca.crt" "$tls/"
  chmod 0600 "$tls/keystore.p12" "$tls/keystore.password"
  chmod 0644 "$tls/ca.crt"
  [ -z "$owner" ] || chown "$owner" "$tls/keystore.p12" "$tls/keystore.password" "$tls/ca.crt"
  rm -rf "$work"
  echo "kafka-tls: new CA and broker certificate ($sans)"
fi
if [ -n "$ca_dir" ]; then
  cp "$tls/ca.crt" "$ca_dir/ca.crt"
  chmod 0644 "$ca_dir/ca.crt"
fi
