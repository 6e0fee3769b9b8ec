#!/usr/bin/env bash
# Waits until the module started by scripts/operator.sh answers: its webhook configuration is
# registered and https://localhost:3000/healthz returns 200. Usage: operator-wait.sh PID [SECONDS]
set -uo pipefail
pid=$1 limit=${2:-300}
for ((i = 0; i < limit; i++)); do
  kill -0 "$pid" 2>/dev/null || { echo "[operator] exited before it was ready" >&2; exit 1; }
  if kubectl get validatingwebhookconfiguration pepr-registry-operator >/dev/null 2>&1 &&
    [[ $(curl -sk -o /dev/null -w '%{http_code}' https://localhost:3000/healthz) == 200 ]]; then
    echo "[operator] ready after ${i}s" >&2
    exit 0
  fi
  sleep 1
done
echo "[operator] not ready after ${limit}s" >&2
exit 1
