#!/usr/bin/env bash
# The toolchain cache: outside any clone so fresh checkouts on a warm machine reuse it.
set -euo pipefail
echo "${REGISTRY_OPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/registry-operator}"
