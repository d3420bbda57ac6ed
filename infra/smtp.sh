# shellcheck shell=bash
# SMTP sink (infra/smtp-sink/server.js): accepts any mail on 127.0.0.1:1025, shows it on http://127.0.0.1:1080.

smtp_ADDR="127.0.0.1:1025 (http :1080)"
smtp_PORTS="1025 1080"
smtp_LOG="$LOG_DIR/smtp.log"

smtp_prereqs() {
  need_node_module smtp-server
  need_node_module mailparser
}

smtp_provisioned() { return 0; } # nothing to download: its packages are the repo's npm dependencies

smtp_provision() { :; }

smtp_launch() {
  start_detached smtp "$smtp_LOG" node "$INFRA_DIR/smtp-sink/server.js" "$DATA_DIR/smtp"
}

smtp_ready() { node "$INFRA_DIR/wait/http-ready.js" http://127.0.0.1:1080/health; }
