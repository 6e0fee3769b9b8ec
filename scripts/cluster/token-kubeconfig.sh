#!/usr/bin/env bash
# Writes a kubeconfig for the cluster in $KUBECONFIG that authenticates as a ServiceAccount, with
# a token from the TokenRequest API (what a pod of that ServiceAccount is given).
# Usage: token-kubeconfig.sh NAMESPACE SERVICE_ACCOUNT OUT_FILE [DURATION, default 6h]
set -euo pipefail
namespace=$1 account=$2 file=$3 duration=${4:-6h}
token=$(kubectl -n "$namespace" create token "$account" --duration="$duration")
server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
ca=$(kubectl config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
umask 077
cat >"$file" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: cluster, cluster: {server: "$server", certificate-authority-data: "$ca"}}]
users: [{name: $account, user: {token: "$token"}}]
contexts: [{name: $account, context: {cluster: cluster, user: $account}}]
current-context: $account
YAML
