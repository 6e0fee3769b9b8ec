#!/usr/bin/env bash
# Every benchmark, each writing .bench-results/NAME.json; exits non-zero if any fails its bar.
# Usage: npm run bench [-- --rounds N]
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/tools/install.sh registry crane debian || exit 1
status=0
for b in dataplane cache redis; do
  echo "== bench/$b.ts"
  npx --no-install tsx "bench/$b.ts" "$@" || status=1
done
exit $status
