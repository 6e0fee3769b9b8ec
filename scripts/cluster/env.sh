# Shared settings of the local cluster; sourced by the cluster, operator, demo and test scripts.
# Everything lives under the toolchain cache, outside the clone: never in ~/.kube or ~/.kwok.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/scripts/tools/versions.sh"
CACHE_DIR=$("$root/scripts/tools/cache-dir.sh")
TOOLS_BIN="$CACHE_DIR/bin"
CLUSTER_NAME=${REGISTRY_OPERATOR_CLUSTER:-registry-operator}
export KWOK_WORKDIR="$CACHE_DIR/kwok"
CLUSTER_DIR="$KWOK_WORKDIR/clusters/$CLUSTER_NAME"
CLUSTER_KUBECONFIG="$CACHE_DIR/$CLUSTER_NAME.kubeconfig"
CLUSTER_NODES=${REGISTRY_OPERATOR_NODES:-3}
export PATH="$TOOLS_BIN:$PATH:/usr/local/go/bin"
say() { echo "[$(basename "$0" .sh)] $*" >&2; }
# The source directory of a Go module (downloaded once into the module cache): CRDs ship in them.
module_dir() { (cd "$CACHE_DIR" && GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)",/\1/p'); }
