#!/usr/bin/env bash
# The /app/node_modules of Pepr's controller image (ghcr.io/defenseunicorns/pepr/controller), the
# image the built Deployments run: pepr and its production dependencies, without peers (the image's
# Dockerfile runs `npm ci --omit=dev --omit=peer`; it then removes CLI-only packages, which its own
# build of pepr no longer requires but the published one does, so they stay here). Installed once
# per Pepr version into the toolchain cache.
# Prints the node_modules directory.
set -euo pipefail
source "$(dirname "$0")/../cluster/env.sh"
version=$(node -p 'require(process.argv[1] + "/node_modules/pepr/package.json").version' "$root")
dir="$CACHE_DIR/pepr-controller-$version/app"
if [[ ! -f "$dir/.complete" ]]; then
  say "installing the node_modules of Pepr's controller image v$version"
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm install --omit=dev --omit=peer --no-save --no-package-lock --no-audit \
    --no-fund --loglevel=error "pepr@$version" >&2)
  touch "$dir/.complete"
fi
echo "$dir/node_modules"
