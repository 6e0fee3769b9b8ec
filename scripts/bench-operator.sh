#!/usr/bin/env bash
# The operator at scale: brings up (or reuses) the local cluster, runs the module as built and
# deployed (scripts/operator-deployed.ts: its pods from the built manifest, as its own
# ServiceAccount with the built ClusterRole, so the API server's APF metrics count its requests
# apart from everyone else's) with LOG_LEVEL=info and a shortened Pepr relist, runs
# bench/operator.ts, cleans up.
# Writes .bench-results/operator.json and .bench-results/operator.md.
# Usage: npm run bench:operator [-- --sizes 100,1000 --idle-minutes 10 ...]; KEEP_CLUSTER=1 keeps
# a cluster this run created.
set -uo pipefail
source "$(dirname "$0")/cluster/env.sh"
cd "$root"
mkdir -p .bench-results
# The module's pods get network, mount and PID namespaces of their own (scripts/operator-deployed.ts).
[[ $(id -u) == 0 ]] || { say "run as root: the module's pods are started in namespaces of their own"; exit 1; }
bash scripts/deps.sh || exit 1

if curl -sk -o /dev/null https://localhost:3000/healthz; then
  say "something already serves https://localhost:3000 (a running 'npm run operator'?): stop it first"
  exit 1
fi
created=""
[[ -f "$CLUSTER_KUBECONFIG" ]] && kubectl --kubeconfig "$CLUSTER_KUBECONFIG" --request-timeout=5s get --raw /readyz >/dev/null 2>&1 || created=1
# A kwok node takes 110 pods: 1000 Registries need at least ten.
export REGISTRY_OPERATOR_NODES=${REGISTRY_OPERATOR_NODES:-12}
KUBECONFIG=$(bash scripts/cluster/up.sh | tail -n 1) || exit 1
export KUBECONFIG

operator=""
finish() {
  trap - EXIT INT TERM
  if [[ -n "$operator" ]]; then kill -TERM "$operator" 2>/dev/null; wait "$operator" 2>/dev/null; fi
  kubectl delete flowschema aaa-registry-bench-operator-writes aaa-registry-bench-operator-reads --ignore-not-found >/dev/null 2>&1
  [[ -n "$created" && -z "${KEEP_CLUSTER:-}" ]] && bash scripts/cluster/down.sh >/dev/null 2>&1
}
trap finish EXIT INT TERM

# Registries of an earlier, interrupted run would make the module's baseline busy.
kubectl delete namespace -l bench.registry-operator.dev/phase --wait=true --timeout=300s >/dev/null 2>&1
# The cluster-admin account earlier versions of this script ran the module as.
kubectl delete clusterrolebinding registry-bench-operator --ignore-not-found >/dev/null 2>&1
kubectl delete namespace registry-bench --ignore-not-found --wait=false >/dev/null 2>&1

# The module as `pepr build` ships it, and a kubeconfig of its ServiceAccount (for whoami).
opkc=$(bash scripts/operator-identity.sh "$root/.bench-results/identity") || exit 1
export MODULE_PROCESS_FILE="$root/.bench-results/module-process.json"
say "starting the built module (log: .bench-results/operator-module.log)"
node --import tsx scripts/operator-deployed.ts "$root/.bench-results/identity/module" \
  --set-env LOG_LEVEL=info --set-env PEPR_RELIST_INTERVAL_SECONDS="${PEPR_RELIST_INTERVAL_SECONDS:-120}" \
  >.bench-results/operator-module.log 2>&1 &
operator=$!
bash scripts/operator-wait.sh "$operator" 300 || { tail -n 40 .bench-results/operator-module.log >&2; exit 1; }

BENCH_OPERATOR_KUBECONFIG="$opkc" BENCH_MODULE_LOG=.bench-results/operator-module.log npx --no-install tsx bench/operator.ts "$@"
status=$?
kill -0 "$operator" 2>/dev/null || say "the operator exited during the benchmark (log: .bench-results/operator-module.log)"
exit $status
