# shellcheck shell=bash
# FerretDB (MongoDB wire protocol) with its SQLite backend on 127.0.0.1:27017, built from the Go module.

FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
ferretdb_ADDR="127.0.0.1:27017"
ferretdb_PORTS="27017"
ferretdb_LOG="$LOG_DIR/ferretdb.log"
# The build is patched (see ferretdb_patch), hence its own cache key.
FERRETDB_BIN="$MICROSHOP_CACHE/ferretdb-$FERRETDB_VERSION-microshop2/ferretdb"
FERRETDB_DIR="$DATA_DIR/ferretdb"

ferretdb_prereqs() {
  ferretdb_provisioned || need_cmd go "go not found: install Go 1.22+ to build FerretDB $FERRETDB_VERSION"
  need_node_module mongodb
}

ferretdb_provisioned() { [[ -x "$FERRETDB_BIN" ]]; }

ferretdb_provision() {
  local json dir src
  json="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION")" ||
    die "go mod download github.com/FerretDB/FerretDB@$FERRETDB_VERSION failed: $json"
  dir="$(printf '%s' "$json" | node -e "process.stdout.write(JSON.parse(require('fs').readFileSync(0,'utf8')).Dir)")"
  [[ -d "$dir" ]] || die "go mod download gave no module directory for FerretDB $FERRETDB_VERSION"
  # The module cache is read-only, and the module zip lacks build/version/version.txt, without which the binary
  # panics at start (FerretDB issue 2982): build from a writable copy that has it.
  src="$(dirname "$FERRETDB_BIN")/src"
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  ferretdb_patch "$src"
  (cd "$src" && go build -trimpath -ldflags='-s -w' -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) ||
    die "go build of FerretDB $FERRETDB_VERSION failed"
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
}

# ferretdb_patch <src>: two changes that give the local store MongoDB's behaviour where MicroShop relies on it
# (why, and what was measured: docs/decisions/0003-local-stores.md).
# 1. Write commands run one at a time (ferretdb/write_lock.go), so each single-document update is atomic.
# 2. A filter with an `_id` equality is served by the primary key even when it has other conditions; the handler
#    applies the complete filter to what comes back in any case.
ferretdb_patch() {
  local handler="$1/internal/handler" sqlite="$1/internal/backends/sqlite/collection.go" cmd
  cp "$INFRA_DIR/ferretdb/write_lock.go" "$handler/"
  for cmd in insert update findandmodify delete; do
    sed -i '/^func (h \*Handler) Msg[A-Za-z]*(connCtx context.Context, msg \*wire.OpMsg) (\*wire.OpMsg, error) {$/a\
\tserializeWrites.Lock()\
\tdefer serializeWrites.Unlock()' "$handler/msg_$cmd.go"
    grep -q 'serializeWrites.Lock()' "$handler/msg_$cmd.go" || die "patching FerretDB's msg_$cmd.go failed"
  done
  perl -0pi -e 's/if params\.Filter\.Len\(\) == 1 \{\n\t\tv, _ := params\.Filter\.Get\("_id"\)/if v, err := params.Filter.Get("_id"); err == nil {/g' "$sqlite"
  [[ "$(grep -c 'if v, err := params.Filter.Get("_id"); err == nil {' "$sqlite")" == 2 ]] ||
    die "patching FerretDB's sqlite/collection.go failed"
}

ferretdb_launch() {
  mkdir -p "$FERRETDB_DIR"
  # --debug-addr=- : no metrics/pprof listener (it would take 8088); the state dir holds FerretDB's state.json.
  start_detached ferretdb "$ferretdb_LOG" "$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$FERRETDB_DIR/" \
    --listen-addr=127.0.0.1:27017 --state-dir="$FERRETDB_DIR" --debug-addr=- --telemetry=disable --log-level=info
}

ferretdb_ready() { (cd "$ROOT_DIR" && node "$INFRA_DIR/wait/mongo-ready.js" mongodb://127.0.0.1:27017/); }
