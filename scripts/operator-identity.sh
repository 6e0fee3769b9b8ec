#!/usr/bin/env bash
# Gives a development run of the module the identity its deployed pods have. Builds the module as
# `pepr deploy` ships it, applies only its ServiceAccount, ClusterRole, Role and their bindings,
# and writes a kubeconfig holding a token of that ServiceAccount: the module then reads and writes
# with exactly the rights the built ClusterRole grants, so a missing grant fails the tests instead
# of an install. Prints the kubeconfig's path.
# Usage: operator-identity.sh OUT_DIR   (KUBECONFIG: an admin of the cluster). OUT_DIR lies inside
# the project: the build loads the bundle it writes, which must resolve pepr from node_modules.
set -euo pipefail
source "$(dirname "$0")/cluster/env.sh"
out=$1
cd "$root"
mkdir -p "$out"
say "building the module for its RBAC (npx pepr build)"
npx --no-install pepr build -o "$out/module" >"$out/module-build.log" 2>&1 ||
  { tail -n 30 "$out/module-build.log" >&2; exit 1; }
# The Helm chart and Zarf package as released (npm run build does the same).
node --import tsx "$root/scripts/package.ts" "$out/module" >>"$out/module-build.log" 2>&1 ||
  { tail -n 30 "$out/module-build.log" >&2; exit 1; }
kubectl create namespace pepr-system --dry-run=client -o yaml | kubectl apply -f - >/dev/null
manifest() { node --import tsx "$root/scripts/module-manifest.ts" "$1" "$out/module"; }
manifest identity | kubectl apply --server-side --force-conflicts -f - >/dev/null
account=$(manifest account)
# Never more than the built ClusterRole: an account that may do anything would prove nothing.
if [[ $(kubectl auth can-i '*' '*' --all-namespaces --as="system:serviceaccount:pepr-system:$account") != no ]]; then
  say "system:serviceaccount:pepr-system:$account may do anything: refusing to test least privilege with it"
  exit 1
fi
# The built manifests hold the webhook's TLS key: readable by the owner only.
chmod -R go-rwx "$out/module"
config="$out/module.kubeconfig"
bash "$root/scripts/cluster/token-kubeconfig.sh" pepr-system "$account" "$config" 24h
say "the module runs as system:serviceaccount:pepr-system:$account"
echo "$config"
