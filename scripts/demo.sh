#!/usr/bin/env bash
# The demo: brings up the local cluster, runs the module against it, applies the sample Registry
# and a broken one, and shows what happened. The cluster stays up afterwards for a look around.
set -euo pipefail
source "$(dirname "$0")/cluster/env.sh"
cd "$root"
ns=registry-demo
log="$CACHE_DIR/demo-operator.log"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Installing npm packages and the local toolchain (cached after the first run)"
bash scripts/deps.sh
bash scripts/tools/install.sh kube etcd kwok

step "Starting a local Kubernetes cluster (kube-apiserver, etcd, controller-manager, scheduler, kwok nodes)"
export KUBECONFIG
KUBECONFIG=$(bash scripts/cluster/up.sh | tail -n 1)
kubectl get nodes

step "Building the Pepr module and running it against the cluster (log: $log)"
bash scripts/operator.sh >"$log" 2>&1 &
operator=$!
trap 'kill -TERM $operator 2>/dev/null; wait $operator 2>/dev/null || true' EXIT
bash scripts/operator-wait.sh "$operator" 300

kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=restricted --overwrite >/dev/null

step "Applying samples/registry-quickstart.yaml in namespace $ns (restricted Pod Security)"
kubectl -n "$ns" apply -f samples/registry-quickstart.yaml
kubectl -n "$ns" wait --for=condition=Ready registry/quickstart --timeout=60s
kubectl -n "$ns" get registry,deployment,service,poddisruptionbudget,secret -l registry-operator.dev/registry=quickstart

step "TLS by default: HTTPS with the operator's certificate; clients trust the CA in ConfigMap quickstart-ca"
kubectl -n "$ns" wait --for=create configmap/quickstart-ca --timeout=30s >/dev/null
kubectl -n "$ns" get registry quickstart -o jsonpath='{"  url: "}{.status.url}{"\n"}{range .status.conditions[?(@.type=="CertificateReady")]}{"  "}{.type}={.status} ({.reason}) {.message}{"\n"}{end}'
kubectl -n "$ns" get configmap quickstart-ca -o jsonpath='{.data.ca\.crt}' | openssl x509 -noout -subject -enddate | sed 's/^/  CA /'

step "Self-healing: deleting the Deployment; the operator puts it back"
kubectl -n "$ns" delete deployment quickstart
kubectl -n "$ns" wait --for=create deployment/quickstart --timeout=30s >/dev/null && kubectl -n "$ns" get deployment quickstart

step "Applying samples/credentials.yaml: pull and push accounts; the registry now asks for a password"
kubectl -n "$ns" apply -f samples/credentials.yaml
kubectl -n "$ns" wait --for=condition=Ready imagepullsecret/quickstart-pull imagepushsecret/quickstart-push --timeout=60s
kubectl -n "$ns" get imagepullsecrets,imagepushsecrets
kubectl -n "$ns" get secret quickstart-pull -o go-template='  Secret quickstart-pull ({{.type}}) keys: {{range $k, $v := .data}}{{$k}} {{end}}{{"\n"}}'
kubectl -n "$ns" get registry quickstart -o jsonpath='{range .status.conditions[?(@.type=="AuthReady")]}{"  "}{.type}={.status} ({.reason}) {.message}{"\n"}{end}'
kubectl -n "$ns" get serviceaccount default -o jsonpath='{"  ServiceAccount default imagePullSecrets: "}{.imagePullSecrets[*].name}{"\n"}'

step "Applying samples/registry.yaml (the primary design's Registry, COSI storage)"
kubectl -n "$ns" apply -f samples/registry.yaml
sleep 2
kubectl -n "$ns" get registry my-registry -o jsonpath='{range .status.conditions[*]}  {.type}={.status} ({.reason}) {.message}{"\n"}{end}'
echo "  (no COSI driver runs here: the registry waits for the bucket credentials, and says so)"

step "Applying samples/registry-template.yaml: a RegistryTemplate, and a Registry that overrides only replicas"
kubectl -n "$ns" apply -f samples/registry-template.yaml
kubectl -n "$ns" get registry my-registry -o jsonpath='{"  stored spec: "}{.spec}{"\n"}'

step "Applying samples/cache.yaml: the primary design's pull-through Cache"
kubectl -n "$ns" apply -f samples/cache.yaml
kubectl -n "$ns" wait --for=condition=Ready cache/my-cache --timeout=60s
kubectl -n "$ns" get cache my-cache
kubectl -n "$ns" apply -f - <<'YAML' || true
apiVersion: registry-operator.dev/v1alpha1
kind: Cache
metadata:
  name: bad-cache
spec:
  upstreamRegistryURL: https://user:secret@quay.io/v2?x=1
YAML

step "Applying samples/node-trust.yaml: a Cache every node trusts and pulls docker.io through"
kubectl apply -f samples/node-trust.yaml
kubectl -n registry-nodes wait --for=condition=NodeTrustReady cache/docker-hub --timeout=90s
kubectl -n registry-nodes get daemonset docker-hub-node-trust
kubectl -n registry-nodes get cache docker-hub -o jsonpath='{range .status.conditions[?(@.type=="NodeTrustReady")]}{"  "}{.type}={.status} ({.reason}) {.message}{"\n"}{end}'
echo "  What the agent writes on each node (listed in ConfigMap docker-hub-node-trust):"
kubectl -n registry-nodes get configmap docker-hub-node-trust -o jsonpath='{.data.files}' | sed 's/^/    /'
mirror=$(kubectl -n registry-nodes get configmap docker-hub-node-trust -o jsonpath='{.data.files}' | awk '$2 ~ /docker.io\/hosts.toml$/ {print $1}')
echo "  /etc/containerd/certs.d/docker.io/hosts.toml:"
kubectl -n registry-nodes get configmap docker-hub-node-trust -o jsonpath="{.data.$mirror}" | sed 's/^/    /'
kubectl -n registry-nodes get configmap docker-hub-node-trust -o jsonpath='{"  /etc/hosts line: "}{.data.hosts}'
echo "  (the nodes here are simulated: no runtime pulls through it; docs/node-trust.md shows a real node)"

step "Applying samples/registry-invalid.yaml: admission refuses it and names every field"
kubectl -n "$ns" apply -f samples/registry-invalid.yaml || true

step "Done. The cluster is still up; the operator has stopped (restart it with: npm run operator)"
cat <<TXT
  export KUBECONFIG=$KUBECONFIG
  kubectl -n $ns get registries,caches,imagepullsecrets,imagepushsecrets
  kubectl -n $ns describe registry quickstart
  kubectl explain registry.spec.storage
  npm run cluster:down        # tear everything down
TXT
