#!/usr/bin/env bash
# Per-server control, for fault-injection tests and debugging:
#   bash infra/ctl.sh start|stop|kill|status <kafka|ferretdb|mariadb|smtp>
# start  provisions if needed, starts it detached and waits until it is ready (no-op when already up)
# stop   SIGTERM, then waits for the process to exit (SIGKILL after INFRA_TIMEOUT seconds)
# kill   SIGKILL (a crash), then waits for the process to be gone
# status one line; exit status 0 when up
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { die "usage: bash infra/ctl.sh start|stop|kill|status <${SERVERS// /|}>"; }
[[ $# -eq 2 ]] || usage
action="$1" name="$2"
load_server "$name"

case "$action" in
  start) servers_up "$name" ;;
  stop) server_stop "$name" TERM ;;
  kill) server_stop "$name" KILL ;;
  status) server_status "$name" ;;
  *) usage ;;
esac
