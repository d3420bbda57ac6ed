# shellcheck shell=bash
# Shared helpers for the native local infrastructure (sourced by up.sh, down.sh, status.sh, ctl.sh).
#
# Each server lives in infra/<name>.sh and defines, with <name>_ as prefix:
#   _ADDR        what status prints (address)          _PORTS   loopback ports it must own
#   _LOG         main log file (shown on failure)
#   _prereqs     checks tools, dies naming what is missing (cheap; no downloads)
#   _provisioned exit 0 when the cached artefacts exist (cheap)
#   _provision   downloads/builds into the cache (slow; runs under a cache lock)
#   _launch      starts the process with start_detached (must not wait)
#   _ready       one quick readiness probe (exit 0 = ready)
#   _after_start optional, idempotent set-up once ready (e.g. create databases)
# The generic lifecycle (start/wait/stop/status) below works on those, so no server repeats it.

set -euo pipefail
set +m # no job control: background jobs stay in our process group, so `setsid` execs in place and $! is the server pid

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(dirname "$INFRA_DIR")"
MICROSHOP_CACHE="${MICROSHOP_CACHE:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/microshop}" # artefacts, shared by every clone on this machine
INFRA_TIMEOUT="${INFRA_TIMEOUT:-180}"                         # seconds to wait for a server to become ready / to stop
# Per-clone runtime state (gitignored). Linked git worktrees of one clone share the main worktree's,
# so every checkout of the same clone sees (and reuses) the same running servers.
INFRA_HOME="$ROOT_DIR/.infra"
if common_git_dir="$(git -C "$ROOT_DIR" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)" &&
  [[ "$common_git_dir" != "$ROOT_DIR/.git" && "$(basename "$common_git_dir")" == ".git" ]]; then
  INFRA_HOME="$(dirname "$common_git_dir")/.infra"
fi
DATA_DIR="$INFRA_HOME/data"
LOG_DIR="$INFRA_HOME/logs"
RUN_DIR="$INFRA_HOME/run"
SERVERS="kafka ferretdb mariadb smtp"

mkdir -p "$MICROSHOP_CACHE" "$DATA_DIR" "$LOG_DIR" "$RUN_DIR"

log() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# need_cmd <command> <message>: dies with the message when the command is not on PATH.
need_cmd() { command -v "$1" >/dev/null 2>&1 || die "$2"; }

# need_node_module <module>: the npm packages the probes and the SMTP sink use come from the repo's node_modules.
need_node_module() {
  need_cmd node "node not found: install Node.js 20+"
  (cd "$ROOT_DIR" && node -e "require.resolve(process.argv[1])" "$1" >/dev/null 2>&1) ||
    die "npm package '$1' not found in $ROOT_DIR/node_modules: run 'npm install' first"
}

# --- processes -------------------------------------------------------------------------------------------------

pid_file() { echo "$RUN_DIR/$1.pid"; }

# alive <pid>: the process exists and is not a zombie (our init may not reap orphans promptly).
alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

# server_pid <name>: prints the pid when the pid file names a live process that is ours. Every server's command
# line contains its data folder, which tells our process from an unrelated one that reused the pid.
server_pid() {
  local f pid cmdline
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$DATA_DIR/$1"* ]] || return 1
  echo "$pid"
}

is_running() { server_pid "$1" >/dev/null; }

# start_detached <name> <logfile> <cmd...>: starts cmd in its own session (outlives the calling shell), cwd = its
# data folder, stdin closed, output appended to logfile; records the pid.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd="${fd##*/}"
    ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

start_detached() {
  local name="$1" logfile="$2"
  shift 2
  mkdir -p "$DATA_DIR/$name"
  printf '\n===== %s starting %s =====\n' "$(date '+%F %T')" "$name" >>"$logfile"
  # Descriptors the caller holds beyond stdio (e.g. a `flock` lock file around a test run) must not live on in a
  # long-running server, or the lock would outlive its holder: close them in the child before exec.
  (
    cd "$DATA_DIR/$name" || exit 1
    close_inherited_fds
    exec setsid "$@" >>"$logfile" 2>&1 </dev/null
  ) &
  echo $! >"$(pid_file "$name")"
  # Until the forked shell has exec'd, its command line is still ours, not the server's: wait for that (ms).
  local i
  for i in {1..50}; do is_running "$name" && return 0; sleep 0.1; done
}

# port_open <port>: something listens on TCP <port>. ss looks without connecting (a probe connection would leave
# "aborted connection" noise in the servers' logs); without ss, try to connect to 127.0.0.1.
port_open() {
  if command -v ss >/dev/null; then
    [[ -n "$(ss -ltnH "sport = :$1" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# port_owner <port>: "cmd (pid N)" of the listener, when ss can tell.
port_owner() {
  local line
  line="$(ss -ltnpH "sport = :$1" 2>/dev/null | head -1)" || true
  [[ "$line" =~ \(\(\"([^\"]+)\",pid=([0-9]+) ]] && echo "${BASH_REMATCH[1]} (pid ${BASH_REMATCH[2]})" || echo "unknown process"
}

# wait_for <name> <timeout-seconds> <probe...>: polls the probe until it succeeds; dies if the server process exits
# or the timeout passes, showing the end of its log.
wait_for() {
  local name="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      show_log_tail "$name"
      die "$name exited during start-up (log: $(server_var "$name" LOG))"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$name"
      die "$name not ready after ${timeout}s (INFRA_TIMEOUT; log: $(server_var "$name" LOG))"
    fi
    sleep 0.5
  done
}

# show_log_tail <name>: end of the server's log, and of its console output when that is a separate file.
show_log_tail() {
  local f
  for f in "$(server_var "$1" LOG)" "$(server_var "$1" CONSOLE)"; do
    [[ -f "$f" ]] && { echo "----- last lines of $f -----" >&2; tail -n 25 "$f" >&2; }
  done
  return 0
}

# --- generic lifecycle -----------------------------------------------------------------------------------------

# server_var <name> <VAR>: value of <name>_<VAR>.
server_var() { local v="${1}_$2"; echo "${!v-}"; }

load_server() {
  [[ " $SERVERS " == *" $1 "* ]] || die "unknown server '$1' (expected one of: $SERVERS)"
  # shellcheck source=/dev/null
  source "$INFRA_DIR/$1.sh"
}

# provision <name>: fills the cache once; a lock keeps two clones (or two shells) from building at the same time.
provision() {
  "$1_provisioned" && return 0
  (
    exec 9>"$MICROSHOP_CACHE/.$1.lock"
    flock 9
    "$1_provisioned" && exit 0
    "$1_provision"
  )
}

# ensure_ports_free <name>: a server that is not running must find its ports free; anything there is not ours.
ensure_ports_free() {
  local port
  for port in $(server_var "$1" PORTS); do
    if port_open "$port"; then
      die "$1: port 127.0.0.1:$port is already in use by something that isn't ours: $(port_owner "$port")"
    fi
  done
}

# servers_up <names...>: checks prerequisites, provisions missing artefacts (in parallel, each into
# .infra/logs/provision-<name>.log), launches the servers that are down, waits for each to be ready.
servers_up() {
  local s pids=() names=() i started=()
  for s in "$@"; do load_server "$s"; done
  for s in "$@"; do "${s}_prereqs"; done

  for s in "$@"; do
    is_running "$s" && continue
    "${s}_provisioned" && continue
    log "$s: provisioning into the cache (first use; log: $LOG_DIR/provision-$s.log)"
    (provision "$s") >"$LOG_DIR/provision-$s.log" 2>&1 &
    pids+=($!)
    names+=("$s")
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      tail -n 15 "$LOG_DIR/provision-${names[$i]}.log" >&2
      die "${names[$i]}: provisioning failed: $(grep -v '^\s*$' "$LOG_DIR/provision-${names[$i]}.log" | tail -n 1)"
    fi
    log "${names[$i]}: provisioned"
  done

  for s in "$@"; do
    if is_running "$s"; then continue; fi
    ensure_ports_free "$s"
    log "$s: starting"
    "${s}_launch"
    started+=("$s")
  done

  for s in "$@"; do
    wait_for "$s" "$INFRA_TIMEOUT" "${s}_ready"
    if declare -F "${s}_after_start" >/dev/null; then "${s}_after_start"; fi
    if [[ " ${started[*]-} " == *" $s "* ]]; then
      log "$s: up on $(server_var "$s" ADDR) (pid $(server_pid "$s"))"
    else
      log "$s: already up on $(server_var "$s" ADDR) (pid $(server_pid "$s"))"
    fi
  done
}

# server_stop <name> [TERM|KILL]: TERM waits for the process to exit (SIGKILL after INFRA_TIMEOUT); KILL does not wait
# for a clean shutdown, only for the process to be gone.
server_stop() {
  local name="$1" sig="${2:-TERM}" pid deadline
  load_server "$name"
  if ! pid="$(server_pid "$name")"; then
    rm -f "$(pid_file "$name")"
    log "$name: not running"
    return 0
  fi
  kill "-$sig" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + INFRA_TIMEOUT))
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then
      log "$name: still running ${INFRA_TIMEOUT}s after SIG$sig, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 10))
    fi
    sleep 0.2
  done
  rm -f "$(pid_file "$name")"
  log "$name: stopped (SIG$sig, pid $pid)"
}

# server_status <name>: one line; exit 0 when up. "up" = our process is alive and its first port accepts connections.
server_status() {
  local name="$1" pid port
  load_server "$name"
  port="$(server_var "$name" PORTS)"
  port="${port%% *}"
  if pid="$(server_pid "$name")"; then
    if port_open "$port"; then
      printf '%-9s up        %-34s pid %s\n' "$name" "$(server_var "$name" ADDR)" "$pid"
      return 0
    fi
    printf '%-9s starting  %-34s pid %s (not accepting connections yet)\n' "$name" "$(server_var "$name" ADDR)" "$pid"
    return 1
  fi
  for port in $(server_var "$name" PORTS); do
    if port_open "$port"; then
      printf '%-9s down      %-34s port %s taken by something else: %s\n' "$name" "$(server_var "$name" ADDR)" \
        "$port" "$(port_owner "$port")"
      return 1
    fi
  done
  printf '%-9s down      %-34s -\n' "$name" "$(server_var "$name" ADDR)"
  return 1
}
