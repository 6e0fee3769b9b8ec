#!/usr/bin/env bash
# Brings up (or reuses) a real Kubernetes control plane on 127.0.0.1 — etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler as processes, kwok simulating nodes and pods — installs
# our CRDs and adds fake nodes. Progress goes to stderr; the last line of stdout is the absolute
# path of the cluster's kubeconfig. The user's ~/.kube/config is never touched.
set -euo pipefail
source "$(dirname "$0")/env.sh"

bash "$root/scripts/tools/install.sh" kube etcd kwok

healthy() {
  [[ -f "$CLUSTER_KUBECONFIG" ]] &&
    kubectl --kubeconfig "$CLUSTER_KUBECONFIG" --request-timeout=5s get --raw /readyz >/dev/null 2>&1
}

# kwokctl's configuration: the control plane's binaries, the audit policy (the module's requests,
# in $CLUSTER_DIR/logs/audit.log: scripts/test/rbac-usage.ts), and kwok's pod and node stages — its
# defaults, except that pods of the images scripts/cluster/failing-pods.yaml fails never get ready.
write_config() {
  local kwok stage
  kwok=$(module_dir "sigs.k8s.io/kwok@$KWOK_VERSION")/kustomize/stage
  [[ -f "$kwok/pod/fast/pod-ready.yaml" ]] || { say "could not download the kwok module"; exit 1; }
  cat <<YAML
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: $KUBE_VERSION
  etcdVersion: ${ETCD_VERSION#v}
  kubeBinaryPrefix: $TOOLS_BIN
  kubectlBinary: $TOOLS_BIN/kubectl
  etcdBinary: $TOOLS_BIN/etcd
  kwokControllerBinary: $TOOLS_BIN/kwok
  kubeAuditPolicy: $root/scripts/cluster/audit-policy.yaml
  # The kubernetes Service's IP (the first of service-cluster-ip-range below), as in any cluster:
  # the built module's pods reach the API server there (scripts/operator-deployed.ts).
  kubeApiserverCertSANs: [10.0.0.1]
YAML
  for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
    pod/fast/pod-complete pod/fast/pod-delete; do
    printf -- '---\n'; cat "$kwok/$stage.yaml"
  done
  printf -- '---\n'
  sed '/^    matchExpressions:$/a\
    - key: '"'"'[.spec.containers[].image | startswith("unpullable.invalid/") or startswith("crashing.invalid/")] | any'"'"'\
      operator: '"'"'NotIn'"'"'\
      values: ['"'"'true'"'"']' "$kwok/pod/fast/pod-ready.yaml"
  printf -- '---\n'; cat "$root/scripts/cluster/failing-pods.yaml"
}

create() {
  local config="$CACHE_DIR/kwokctl.yaml"
  write_config >"$config"
  # A stale cluster (processes gone after a reboot or a killed session) is replaced, not repaired.
  kwokctl -v WARN --name "$CLUSTER_NAME" delete cluster --kubeconfig "$CLUSTER_KUBECONFIG" >/dev/null 2>&1 || true
  rm -f "$CLUSTER_KUBECONFIG"
  say "creating cluster $CLUSTER_NAME (Kubernetes $KUBE_VERSION)"
  # Service IPs: the default /24 runs out at about 250 Services (the scale benchmark makes 1000).
  # No traffic ever goes to them: no container runs here. The controller manager's default client
  # rate (20 requests/s) and 5 workers per controller would make the Deployment → ReplicaSet →
  # Pod → EndpointSlice pipeline, not the operator, what the scale benchmark measures.
  local kcm=kube-controller-manager
  kwokctl -v WARN --name "$CLUSTER_NAME" -c "$config" create cluster \
    --extra-args "kube-apiserver=service-cluster-ip-range=10.0.0.0/16" \
    --extra-args "$kcm=kube-api-qps=300" --extra-args "$kcm=kube-api-burst=600" \
    --extra-args "$kcm=concurrent-deployment-syncs=20" \
    --extra-args "$kcm=concurrent-replicaset-syncs=20" \
    --extra-args "$kcm=concurrent-service-endpoint-syncs=20" \
    --kubeconfig "$CLUSTER_KUBECONFIG" --wait 120s --quiet-pull >&2
}

started=$(date +%s)
if healthy && write_config | cmp -s - "$CACHE_DIR/kwokctl.yaml"; then
  say "reusing healthy cluster $CLUSTER_NAME"
else
  create
fi
export KUBECONFIG="$CLUSTER_KUBECONFIG"

have=$(kubectl get nodes -l type=kwok -o name 2>/dev/null | wc -l)
if (( have < CLUSTER_NODES )); then
  say "adding fake nodes ($CLUSTER_NODES)"
  kwokctl -v WARN --name "$CLUSTER_NAME" scale node --replicas "$CLUSTER_NODES" >&2
fi
kubectl wait --for=condition=Ready node --all --timeout=60s >/dev/null

say "installing CRDs (ours, and COSI's and cert-manager's from their Go modules)"
cosi=$(module_dir "sigs.k8s.io/container-object-storage-interface-api@$COSI_API_VERSION")
[[ -f "$cosi/kustomization.yaml" ]] || { say "could not download the COSI API module"; exit 1; }
kubectl apply --server-side --force-conflicts -k "$cosi" >/dev/null  # upstream kustomization: adds the API approval annotation
# cert-manager's own API (no ACME): what spec.tls.issuerRef creates, served by the tests' controller.
cm=$(module_dir "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION")/deploy/crds
[[ -f "$cm/cert-manager.io_certificates.yaml" ]] || { say "could not download the cert-manager module"; exit 1; }
kubectl apply --server-side --force-conflicts -f "$cm/cert-manager.io_certificates.yaml" \
  -f "$cm/cert-manager.io_certificaterequests.yaml" -f "$cm/cert-manager.io_issuers.yaml" \
  -f "$cm/cert-manager.io_clusterissuers.yaml" >/dev/null
kubectl apply --server-side --force-conflicts -f "$root/crds/" >/dev/null
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null

say "ready in $(( $(date +%s) - started ))s"
echo "$CLUSTER_KUBECONFIG"
