#!/usr/bin/env bash
# Installs the npm dependencies exactly as locked, unless node_modules already matches the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(sha256sum package-lock.json | cut -d' ' -f1)
have=$(cat node_modules/.lock-sha256 2>/dev/null || true)
if [[ "$want" != "$have" ]]; then
  echo "[deps] installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" >node_modules/.lock-sha256
fi
