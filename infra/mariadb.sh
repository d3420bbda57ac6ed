# shellcheck shell=bash
# MariaDB from Debian's packages, run as a plain process (no system service) with its own data folder,
# on 127.0.0.1:3306; root logs in over TCP with an empty password.

mariadb_ADDR="127.0.0.1:3306"
mariadb_PORTS="3306"
mariadb_LOG="$LOG_DIR/mariadb.log"
MARIADB_DIR="$DATA_DIR/mariadb"
MARIADB_SOCKET="$RUN_DIR/mariadb.sock"
# A unix socket path must fit in 107 bytes; a clone in a deep folder gets one in /tmp instead.
((${#MARIADB_SOCKET} <= 100)) || MARIADB_SOCKET="/tmp/microshop-mariadb-$(echo "$ROOT_DIR" | md5sum | cut -c1-8).sock"
MARIADB_DATABASES="microshop_orders microshop_orders_test"

# Debian installs the server in /usr/sbin, which is not on every PATH.
mariadb_bin() { command -v "$1" 2>/dev/null || { [[ -x "/usr/sbin/$1" ]] && echo "/usr/sbin/$1"; }; }

mariadb_prereqs() {
  mariadb_provisioned || need_cmd apt-get "mariadbd not found and apt-get missing: install mariadb-server by hand"
}

mariadb_provisioned() { mariadb_bin mariadbd >/dev/null && mariadb_bin mariadb-install-db >/dev/null; }

mariadb_provision() {
  local made_policy=""
  export DEBIAN_FRONTEND=noninteractive
  # The package's postinst would start a system-wide server on 3306; policy-rc.d (exit 101) forbids that.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  # Refresh the package lists first only when they don't know the package (a fresh machine).
  if ! apt-cache policy mariadb-server 2>/dev/null | grep -q 'Candidate: [0-9]'; then apt-get update; fi
  apt-get install -y --no-install-recommends mariadb-server mariadb-client ||
    { apt-get update && apt-get install -y --no-install-recommends mariadb-server mariadb-client; } ||
    { [[ -n "$made_policy" ]] && rm -f /usr/sbin/policy-rc.d; die "apt-get install mariadb-server failed"; }
  [[ -n "$made_policy" ]] && rm -f /usr/sbin/policy-rc.d
  mariadb_provisioned || die "mariadbd still missing after apt-get install mariadb-server"
}

# mariadb_sql <sql>: runs SQL as root over the unix socket (works before the TCP account exists).
mariadb_sql() { "$(mariadb_bin mariadb)" --no-defaults --socket="$MARIADB_SOCKET" -uroot -e "$1"; }

mariadb_launch() {
  if [[ ! -d "$MARIADB_DIR/mysql" ]]; then
    log "mariadb: initialising $MARIADB_DIR"
    mkdir -p "$MARIADB_DIR"
    # --no-defaults everywhere: /etc/mysql/* belongs to the system service, not to us.
    "$(mariadb_bin mariadb-install-db)" --no-defaults --datadir="$MARIADB_DIR" --user=root --skip-test-db \
      --auth-root-authentication-method=normal >>"$mariadb_LOG" 2>&1 || die "mariadb-install-db failed (see $mariadb_LOG)"
  fi
  start_detached mariadb "$mariadb_LOG" "$(mariadb_bin mariadbd)" --no-defaults --datadir="$MARIADB_DIR" \
    --port=3306 --bind-address=127.0.0.1 --socket="$MARIADB_SOCKET" --pid-file="$RUN_DIR/mariadbd.pid" --user=root \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --innodb-buffer-pool-size=128M
}

mariadb_ready() { "$(mariadb_bin mariadb-admin)" --no-defaults --protocol=TCP -h127.0.0.1 -P3306 -uroot ping; }

# Idempotent: the TCP root accounts with an empty password (the apps' default URL) and the databases.
mariadb_after_start() {
  local db sql=""
  for db in $MARIADB_DATABASES; do sql+="CREATE DATABASE IF NOT EXISTS \`$db\`; "; done
  mariadb_sql "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    CREATE USER IF NOT EXISTS 'root'@'::1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'::1' WITH GRANT OPTION; $sql" ||
    die "mariadb: could not create the root TCP accounts / databases (see $mariadb_LOG)"
}
