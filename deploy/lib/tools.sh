# shellcheck shell=bash
# Tool bootstrap shared by deploy/check.sh and deploy/gen-k8s.sh. Source it; it defines
# HELM, PY (the venv's python with kubernetes-validate), COMPOSE_VALIDATE, PROMTOOL and ACTIONLINT, building or
# installing each once into ${MICROSHOP_CACHE:-$HOME/.cache/microshop}. Needs Go and Python 3.

HELM_VERSION="${HELM_VERSION:-v3.22.0}"                  # latest Helm 3 release
KUBE_VERSION="${KUBE_VERSION:-1.33.0}"                   # Kubernetes version everything is checked against
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"  # bundles schemas 1.x..1.37
PROMETHEUS_MODULE_VERSION="${PROMETHEUS_MODULE_VERSION:-v0.316.0}"    # github.com/prometheus/prometheus (promtool)
ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"      # github.com/rhysd/actionlint (.github/workflows)
MICROSHOP_CACHE="${MICROSHOP_CACHE:-$HOME/.cache/microshop}"
DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$DEPLOY_DIR/.." && pwd)"

_log() { printf '==> %s\n' "$*" >&2; }
_need() { command -v "$1" >/dev/null 2>&1 || { echo "deploy: '$1' is required but not installed ($2)" >&2; exit 1; }; }

ensure_helm() {
  local minor="${KUBE_VERSION#1.}"; minor="${minor%%.*}"
  local dir="$MICROSHOP_CACHE/helm-$HELM_VERSION-k1.$minor"
  HELM="$dir/bin/helm"
  if [[ -x "$HELM" ]]; then return; fi
  _need go "the Helm CLI is built from its Go module"
  _log "building Helm $HELM_VERSION from its Go module (default Kubernetes version 1.$minor; once, cached in $dir)"
  mkdir -p "$dir/bin"
  # The same -X flags as Helm's Makefile: .Capabilities.KubeVersion and the lint deprecation
  # checks default to our Kubernetes version instead of Helm's built-in v1.20.
  GOBIN="$dir/bin" GOFLAGS="-buildvcs=false" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w \
    -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
}

ensure_venv() {
  local dir="$MICROSHOP_CACHE/venv-kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
  PY="$dir/bin/python"
  if [[ -x "$PY" ]] && "$PY" -c 'import kubernetes_validate, yaml' 2>/dev/null; then return; fi
  _need python3 "Python 3 runs the manifest checks"
  _log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into $dir (once)"
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" >&2
}

ensure_compose_validate() {
  local src="$DEPLOY_DIR/tools/compose-validate"
  local hash; hash="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-12)"
  COMPOSE_VALIDATE="$MICROSHOP_CACHE/compose-validate-$hash"
  if [[ -x "$COMPOSE_VALIDATE" ]]; then return; fi
  _need go "compose-validate is built from compose-spec/compose-go"
  _log "building compose-validate (compose-go, the loader of docker compose; once)"
  mkdir -p "$MICROSHOP_CACHE"
  (cd "$src" && GOFLAGS="-buildvcs=false" CGO_ENABLED=0 go build -trimpath -o "$COMPOSE_VALIDATE.tmp" .) >&2
  mv "$COMPOSE_VALIDATE.tmp" "$COMPOSE_VALIDATE"
}

ensure_promtool() {
  PROMTOOL="$MICROSHOP_CACHE/bin/promtool-$PROMETHEUS_MODULE_VERSION"
  if [[ -x "$PROMTOOL" ]]; then return; fi
  _need go "promtool is built from the Prometheus Go module"
  _log "building promtool (github.com/prometheus/prometheus $PROMETHEUS_MODULE_VERSION) from its Go module (once, a few minutes; cached in $MICROSHOP_CACHE/bin)"
  local gobin; gobin="$(mktemp -d)"
  GOBIN="$gobin" GOFLAGS="-buildvcs=false" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w \
    -X github.com/prometheus/common/version.Version=$PROMETHEUS_MODULE_VERSION" \
    "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_MODULE_VERSION" >&2
  mkdir -p "$MICROSHOP_CACHE/bin"
  mv "$gobin/promtool" "$PROMTOOL"
  rm -rf "$gobin"
}

ensure_actionlint() {
  ACTIONLINT="$MICROSHOP_CACHE/bin/actionlint-$ACTIONLINT_VERSION"
  if [[ -x "$ACTIONLINT" ]]; then return; fi
  _need go "actionlint is built from its Go module"
  _log "building actionlint $ACTIONLINT_VERSION from its Go module (once; cached in $MICROSHOP_CACHE/bin)"
  local gobin; gobin="$(mktemp -d)"
  GOBIN="$gobin" GOFLAGS="-buildvcs=false" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
    "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2
  mkdir -p "$MICROSHOP_CACHE/bin"
  mv "$gobin/actionlint" "$ACTIONLINT"
  rm -rf "$gobin"
}
