#!/usr/bin/env bash
# Renders deploy/kubernetes/gatewatch.yaml from the Helm chart with deploy/kubernetes/values.yaml, for clusters
# without Helm. DeployManifestsTest fails while the committed file differs from this output.
#   deploy/kubernetes/render.sh [HELM]      (default: helm on PATH, else the one install-tools.sh installs)
set -euo pipefail
cd "$(dirname "$0")/../.."
helm=${1:-$(command -v helm || echo "$HOME/.cache/gatewatch-tools/deploy/bin/helm")}
{
  cat <<'HEADER'
# Gatewatch rendered from the Helm chart deploy/helm/gatewatch with deploy/kubernetes/values.yaml
# (deploy/kubernetes/render.sh; do not edit by hand): central node (api, analyzer, notifier), a checker for region
# "local", PostgreSQL 17 StatefulSet. Create the namespace and the database password first:
#   kubectl create namespace gatewatch
#   kubectl -n gatewatch create secret generic gatewatch-db --from-literal=db-password="$(openssl rand -base64 24)"
#   kubectl -n gatewatch apply -f deploy/kubernetes/gatewatch.yaml
# See docs/deployment.md.
HEADER
  "$helm" template gatewatch deploy/helm/gatewatch -f deploy/kubernetes/values.yaml
} > deploy/kubernetes/gatewatch.yaml
