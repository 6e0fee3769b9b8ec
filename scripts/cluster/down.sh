#!/usr/bin/env bash
# Tears the local cluster down: operator webhooks first (they would block writes), then every
# process and file kwokctl made. Safe to run after a failed run and when nothing is up.
set -uo pipefail
source "$(dirname "$0")/env.sh"

bash "$root/scripts/operator-cleanup.sh" || true
if [[ -d "$CLUSTER_DIR" ]] && command -v kwokctl >/dev/null; then
  say "deleting cluster $CLUSTER_NAME"
  kwokctl -v WARN --name "$CLUSTER_NAME" delete cluster --kubeconfig "$CLUSTER_KUBECONFIG" >&2 || true
fi
rm -rf "$CLUSTER_DIR" "$CLUSTER_KUBECONFIG"
say "down"
