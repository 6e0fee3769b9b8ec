#!/usr/bin/env bash
# The whole test suite: static checks (lint, format, the test tsconfig's type check), jest unit
# tests, then — against a local cluster with the module running as its own ServiceAccount — jest
# integration tests, the tests of the test platform itself (reported as their own layer, not
# counted as product tests) and Chainsaw suites, while a watch collects every value of the
# operator's Secrets and checks at the end that none appeared in the module log, Events,
# ConfigMaps, status or annotations (the `leaks` layer); last, the `faults` suites kill and
# restart the module themselves; the `packaging` suite installs the built Helm chart into a cluster
# of its own. The API server's audit log of the module's requests is then held
# against its grants: none refused, none unused (the `rbac` layer). Ends with one line `N passed, N failed, N skipped` summing the
# product layers, and exits non-zero on any failure anywhere.
# Usage: all.sh [static] [unit] [integration] [platform] [chainsaw] [faults] [packaging]
set -uo pipefail
source "$(dirname "$0")/../cluster/env.sh"
cd "$root"
layers=("$@")
(( ${#layers[@]} )) || layers=(static unit integration platform chainsaw faults packaging)
wants() { [[ " ${layers[*]} " == *" $1 "* ]]; }
out="$root/.test-results"
rm -rf "$out" && mkdir -p "$out"

bash scripts/deps.sh || exit 1

if wants static; then
  passed=0 failed=0
  for check in lint format:check typecheck:test; do
    if npm run -s "$check" >"$out/static-$check.log" 2>&1; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      say "npm run $check failed:"; tail -n 30 "$out/static-$check.log" >&2
    fi
  done
  echo "{\"passed\": $passed, \"failed\": $failed, \"skipped\": 0}" >"$out/static.json"
fi

if wants unit; then
  npx --no-install jest --ci --selectProjects unit --json --outputFile="$out/unit.json" || true
fi

operator="" created="" leakwatch=""
PACKAGING_CLUSTER=registry-operator-packaging # test/packaging/helm.test.ts's own
# Ends the secret-leak watch, which then checks what it saw and writes leaks.json.
stop_leakwatch() {
  [[ -n "$leakwatch" ]] && { kill -TERM "$leakwatch" 2>/dev/null; wait "$leakwatch" 2>/dev/null; }
  leakwatch=""
}
finish() {
  stop_leakwatch
  if [[ -n "$operator" ]]; then kill -TERM "$operator" 2>/dev/null; wait "$operator" 2>/dev/null; fi
  [[ -n "$created" && -z "${KEEP_CLUSTER:-}" ]] && bash scripts/cluster/down.sh >/dev/null 2>&1
  # The packaging suite removes its own cluster; a run cut short may have left it.
  if [[ -d "$KWOK_WORKDIR/clusters/$PACKAGING_CLUSTER" ]]; then
    env -u KUBECONFIG REGISTRY_OPERATOR_CLUSTER="$PACKAGING_CLUSTER" bash scripts/cluster/down.sh >/dev/null 2>&1
  fi
  return 0
}
trap finish EXIT

if wants integration || wants platform || wants chainsaw || wants faults || wants packaging; then
  bash scripts/tools/install.sh || exit 1
  if curl -sk -o /dev/null https://localhost:3000/healthz; then
    say "something already serves https://localhost:3000 (a running 'npm run operator'?): stop it so the tests run this checkout's module"
    echo "cluster: 0 passed, 1 failed"; echo "0 passed, 1 failed"; exit 1
  fi
  [[ -f "$CLUSTER_KUBECONFIG" ]] && kubectl --kubeconfig "$CLUSTER_KUBECONFIG" --request-timeout=5s get --raw /readyz >/dev/null 2>&1 || created=1
  export KUBECONFIG
  KUBECONFIG=$(bash scripts/cluster/up.sh | tail -n 1)
  # The module runs as the ServiceAccount its built manifests give it: missing rights fail tests.
  MODULE_KUBECONFIG=$(bash scripts/operator-identity.sh "$out/identity") || exit 1
  export MODULE_KUBECONFIG
  export MODULE_BUILD_DIR="$out/identity/module" # module-build.test.ts checks this build
  # The data-plane harness refreshes a mounted Secret every second, not within a kubelet's minute:
  # a rotated password is handed out 5 s after the registry holds it, not 90.
  export REGISTRY_OPERATOR_CREDENTIAL_PROPAGATION_SECONDS=5
  # Requests audited from here on are this run's (scripts/test/rbac-usage.ts). A reused cluster's
  # log is emptied first (the API server appends to it), so it does not grow run after run.
  : >"$CLUSTER_DIR/logs/audit.log" 2>/dev/null || true
  since=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
  # The module as built and deployed: its two Deployments' containers from the built manifest and
  # files, webhooks as built (scripts/operator-deployed.ts); the faults suites run `pepr dev`.
  export MODULE_PROCESS_FILE="$out/module-process.json"
  node --import tsx scripts/operator-deployed.ts "$out/identity/module" \
    --set-env REGISTRY_OPERATOR_CREDENTIAL_PROPAGATION_SECONDS=5 >"$out/operator.log" 2>&1 &
  operator=$!
  account=$(node --import tsx scripts/module-manifest.ts account "$out/identity/module")
  if bash scripts/operator-wait.sh "$operator" 300 &&
    # Least privilege holds only if the module's pods run with their ServiceAccount's token.
    { grep -q "^\[deployed\] the module runs as system:serviceaccount:pepr-system:$account " "$out/operator.log" ||
      { say "the module does not run as its ServiceAccount $account"; false; }; }; then
    if wants integration; then
      node --import tsx scripts/test/leak-watch.ts "$out" >"$out/leak-watch.log" 2>&1 &
      leakwatch=$!
      npx --no-install jest --ci --selectProjects integration --runInBand --testPathIgnorePatterns platform.test.ts \
        --json --outputFile="$out/integration.json" || true
    fi
    if wants platform; then
      npx --no-install jest --ci --selectProjects integration --runInBand test/integration/platform.test.ts \
        --json --outputFile="$out/platform.json" || true
    fi
    # A module that died mid-run turns every later check into a confusing failure: say so first.
    kill -0 "$operator" 2>/dev/null ||
      say "the operator exited during the integration tests; later failures follow from that (log: $out/operator.log)"
    if wants chainsaw; then
      if ! chainsaw test --no-color --config chainsaw/.chainsaw.yaml chainsaw/ >"$out/chainsaw.log" 2>&1; then
        grep -B2 -A25 -E '^\s+--- FAIL|ERROR|=== ERROR' "$out/chainsaw.log" | head -n 200 >&2
      fi
      grep -E '^\s*(--- |PASS|FAIL|- (Passed|Failed|Skipped))' "$out/chainsaw.log" || true
    fi
    if wants faults; then
      # These suites kill and start the module themselves: the shared one goes first.
      kill -TERM "$operator" 2>/dev/null; wait "$operator" 2>/dev/null; operator=""
      npx --no-install jest --ci --selectProjects faults --runInBand \
        --json --outputFile="$out/faults.json" || true
    fi
    stop_leakwatch
    [[ -f "$out/leaks.json" ]] && cat "$out/leak-watch.log" >&2
    if wants integration; then
      node --import tsx scripts/test/rbac-usage.ts "$out" "$CLUSTER_DIR/logs/audit.log" "$since" >&2 || true
    fi
  else
    tail -n 40 "$out/operator.log" >&2
  fi
  if wants packaging; then
    # Helm installs and uninstalls the chart of the same build on a fresh cluster of its own.
    npx --no-install jest --ci --selectProjects packaging --runInBand \
      --json --outputFile="$out/packaging.json" || true
  fi
fi
# Secret values looked for in the log, Events, ConfigMaps, status and annotations all run long;
# the module's requests against its grants (least privilege, both ways).
wants integration && layers+=(leaks rbac)

if ! node scripts/test/summary.js "$out" "${layers[@]}" >"$out/summary.txt"; then
  # The module's own log explains most cluster-side failures.
  [[ -f "$out/operator.log" ]] && { echo "--- last lines of the operator log ($out/operator.log)" >&2; tail -n 60 "$out/operator.log" >&2; }
  cat "$out/summary.txt"
  exit 1
fi
cat "$out/summary.txt"
