#!/usr/bin/env bash
# Render k8s/ (plain manifests, namespace "microshop") from the Helm chart.
#   deploy/gen-k8s.sh           rewrite k8s/
#   deploy/gen-k8s.sh --check   exit 1 if k8s/ differs from what the chart renders
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
ensure_helm
ensure_venv

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$HELM" template microshop "$REPO_ROOT/helm/microshop" --namespace microshop \
  --kube-version "$KUBE_VERSION" -f "$DEPLOY_DIR/values-k8s.yaml" \
  > "$tmp/rendered.yaml" 2> "$tmp/helm.err" || { cat "$tmp/helm.err" >&2; exit 1; }
"$PY" "$DEPLOY_DIR/lib/split_manifests.py" "$tmp/rendered.yaml" "$tmp/k8s"

if [[ "${1:-}" == "--check" ]]; then
  if diff -ru "$REPO_ROOT/k8s" "$tmp/k8s" > "$tmp/diff"; then
    echo "k8s/ is in step with helm/microshop + deploy/values-k8s.yaml"
  else
    cat "$tmp/diff"
    echo "ERROR k8s/ is out of date: run deploy/gen-k8s.sh and commit the result" >&2
    exit 1
  fi
else
  rm -rf "$REPO_ROOT/k8s"
  cp -r "$tmp/k8s" "$REPO_ROOT/k8s"
  echo "wrote $(ls "$REPO_ROOT/k8s" | wc -l) files to k8s/"
fi
