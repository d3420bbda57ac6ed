#!/usr/bin/env bash
# Stops every local server (SIGTERM, waiting for a clean shutdown). Data stays in .infra/data;
# to reset it: bash infra/down.sh && rm -rf .infra
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for s in $SERVERS; do server_stop "$s" TERM; done
