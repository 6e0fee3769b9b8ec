#!/usr/bin/env bash
# Runs the module in the foreground against the cluster in $KUBECONFIG (default: the local cluster),
# the way `pepr dev` does: it builds the module, registers the webhooks at https://localhost:3000
# and serves admission and reconcile from one process. Webhook configurations are removed on exit,
# because with onError=reject they would otherwise block every write of our kinds.
set -euo pipefail
source "$(dirname "$0")/cluster/env.sh"
export KUBECONFIG=${KUBECONFIG:-$CLUSTER_KUBECONFIG}
[[ -f "${KUBECONFIG%%:*}" ]] || { say "no kubeconfig at $KUBECONFIG: run 'npm run cluster:up' first"; exit 1; }
cd "$root"

cleanup() {
  trap - EXIT INT TERM
  # pepr dev forks the module; end the whole process group so nothing keeps port 3000.
  pkill -TERM -P $$ 2>/dev/null || true
  [[ -n "${dev:-}" ]] && kill -TERM -- -"$dev" 2>/dev/null
  wait 2>/dev/null
  bash "$root/scripts/operator-cleanup.sh"
}
trap cleanup EXIT INT TERM

say "starting the module against $(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')"
# MODULE_KUBECONFIG (see operator-identity.sh): the module itself runs with these credentials.
if [[ -n "${MODULE_KUBECONFIG:-}" ]]; then
  export MODULE_KUBECONFIG NODE_OPTIONS="${NODE_OPTIONS:-} --require $root/scripts/module-kubeconfig.cjs"
fi
setsid npx --no-install pepr dev --host localhost --yes &
dev=$!
wait "$dev"
