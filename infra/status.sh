#!/usr/bin/env bash
# One line per server: name, up/down, address, pid. Exits non-zero if any server is down.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rc=0
for s in $SERVERS; do server_status "$s" || rc=1; done
exit $rc
