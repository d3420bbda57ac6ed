#!/usr/bin/env bash
# Starts the local infrastructure natively (no Docker), provisioning on first use:
#   kafka     Apache Kafka 3.9 KRaft broker+controller  127.0.0.1:9092 (controller 127.0.0.1:9093)
#   ferretdb  FerretDB (MongoDB protocol, SQLite)        127.0.0.1:27017
#   mariadb   MariaDB (MySQL protocol), root, no password 127.0.0.1:3306
#   smtp      SMTP sink, mails readable over HTTP         127.0.0.1:1025, http://127.0.0.1:1080/api/messages
# Servers already up are left alone, so a second run only probes them (a few seconds).
#
# Environment overrides:
#   MICROSHOP_CACHE   where downloaded/built artefacts go, shared by clones   (default $HOME/.cache/microshop)
#   INFRA_TIMEOUT     seconds to wait for each server to be ready / to stop   (default 180)
#   KAFKA_HEAP_OPTS   JVM heap of the broker                                  (default "-Xms256m -Xmx768m")
#   KAFKA_VERSION, FERRETDB_VERSION  artefact versions                        (default 3.9.2, v1.24.2)
# Runtime data, logs and pid files: .infra/data/<server>, .infra/logs/<server>.log, .infra/run/<server>.pid
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

started_at=$SECONDS
# shellcheck disable=SC2086
servers_up $SERVERS

# Topics are created by the project's own script (idempotent), when it exists.
cd "$ROOT_DIR"
if node -e "process.exit(require('./package.json').scripts['kafka:topics']?0:1)" 2>/dev/null; then
  log "kafka: creating topics (npm run kafka:topics)"
  npm run --silent kafka:topics || die "npm run kafka:topics failed"
fi
log "all up in $((SECONDS - started_at))s"
