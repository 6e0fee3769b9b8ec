#!/usr/bin/env bash
# Removes what a development run of the module leaves in the cluster: its webhook configurations
# (which reject writes while nothing answers them) and its store. Quiet when there is nothing to do.
set -uo pipefail
source "$(dirname "$0")/cluster/env.sh"
export KUBECONFIG=${KUBECONFIG:-$CLUSTER_KUBECONFIG}
command -v kubectl >/dev/null && [[ -f "${KUBECONFIG%%:*}" ]] || exit 0
k() { kubectl --request-timeout=10s "$@" >/dev/null 2>&1; }
k delete mutatingwebhookconfiguration pepr-registry-operator --ignore-not-found
k delete validatingwebhookconfiguration pepr-registry-operator --ignore-not-found
k -n pepr-system delete peprstores.pepr.dev pepr-registry-operator-store pepr-registry-operator-schedule --ignore-not-found
exit 0
