#!/usr/bin/env bash
# Builds the local-cluster toolchain from Go modules into a cache outside the work tree, so a warm
# machine (and every fresh clone on it) skips the build. Only tools whose stamp is missing or names
# another version are built. Usage: scripts/tools/install.sh [tool ...]   (default: all)
# Prints nothing but progress on stderr; the bin directory is `scripts/tools/bin-dir.sh`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/versions.sh"
cache=$("$here/cache-dir.sh")
bin="$cache/bin" stamps="$cache/stamps" work="$cache/build"
mkdir -p "$bin" "$stamps" "$work"

log() { echo "[tools] $*" >&2; }
fresh() { [[ -f "$stamps/$1" && "$(cat "$stamps/$1")" == "$2" ]]; }
stamp() { echo "$2" >"$stamps/$1"; }

export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
export PATH="$PATH:/usr/local/go/bin"  # where this machine kind installs Go

# go_build NAME VERSION MODULE REPLACES LDFLAGS PKG...
# Builds packages of MODULE@VERSION inside a throwaway wrapper module. REPLACES is a newline list
# of "path version" pairs pinned in a replace block (needed for modules whose own go.mod replaces
# siblings with relative paths, which `go install mod@ver` refuses).
go_build() {
  local name=$1 version=$2 module=$3 replaces=$4 ldflags=$5; shift 5
  local dir="$work/$name"
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir"
    go mod init "local/build-$name" >/dev/null 2>&1
    if [[ -n "$replaces" ]]; then
      { echo "replace ("; while read -r p v; do [[ -n "$p" ]] && echo "  $p => $p $v"; done <<<"$replaces"; echo ")"; } >>go.mod
    fi
    go get "$module@$version" >/dev/null
    for pkg in "$@"; do go get "$pkg@$version" >/dev/null 2>&1 || true; done
    go build -mod=mod -trimpath -ldflags "-s -w $ldflags" -o "$bin/" "$@"
  )
  rm -rf "$dir"
}

# Staging modules of k8s.io/kubernetes are published as k8s.io/<name> v0.<minor>.<patch>.
kube_replaces() {
  local dir staging
  dir=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  staging="v0.${KUBE_VERSION#v1.}"
  sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$dir/go.mod" | while read -r p; do echo "$p $staging"; done
}

install_kube() {
  fresh kube "$KUBE_VERSION" && return
  log "building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl $KUBE_VERSION (cold: 10-25 min)"
  local v=$KUBE_VERSION major minor ld=""
  major=${v#v}; major=${major%%.*}; minor=${v#v*.}; minor=${minor%%.*}
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  go_build kube "$v" k8s.io/kubernetes "$(kube_replaces)" "$ld" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
  stamp kube "$KUBE_VERSION"
}

install_etcd() {
  fresh etcd "$ETCD_VERSION" && return
  log "building etcd $ETCD_VERSION"
  # client/v2 is published as v2.305.<patch>; every other sibling shares the server's version.
  local r="go.etcd.io/etcd/client/v2 v2.305.${ETCD_VERSION##*.}"$'\n' m
  for m in api/v3 client/pkg/v3 client/v3 pkg/v3 raft/v3; do r+="go.etcd.io/etcd/$m $ETCD_VERSION"$'\n'; done
  go_build etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3 "$r" "" go.etcd.io/etcd/server/v3
  mv "$bin/server" "$bin/etcd"  # go names the binary after the package directory
  stamp etcd "$ETCD_VERSION"
}

install_kwok() {
  fresh kwok "$KWOK_VERSION" && return
  log "building kwok, kwokctl $KWOK_VERSION"
  GOBIN="$bin" go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
  stamp kwok "$KWOK_VERSION"
}

install_chainsaw() {
  fresh chainsaw "$CHAINSAW_VERSION" && return
  log "building chainsaw $CHAINSAW_VERSION"
  # Built from the committed module in ./chainsaw, whose go.sum verifies every download.
  (cd "$here/chainsaw" && go build -trimpath \
    -ldflags "-s -w -X github.com/kyverno/chainsaw/pkg/version.BuildVersion=$CHAINSAW_VERSION" \
    -o "$bin/chainsaw" github.com/kyverno/chainsaw)
  stamp chainsaw "$CHAINSAW_VERSION"
}

install_certmanager() {
  fresh certmanager "$CERT_MANAGER_VERSION" && return
  log "building cert-manager-controller $CERT_MANAGER_VERSION (cold: 3-6 min)"
  # Built from the committed module in ./cert-manager: the SelfSigned and CA issuers and the
  # Certificate controllers, which is what the tests of spec.tls.issuerRef need.
  (cd "$here/cert-manager" && go build -trimpath -ldflags "-s -w" -o "$bin/cert-manager-controller" .)
  stamp certmanager "$CERT_MANAGER_VERSION"
}

install_registry() {
  fresh registry "$DISTRIBUTION_VERSION" && return
  log "building registry $DISTRIBUTION_VERSION"
  local m=github.com/distribution/distribution/v3 dir
  GOBIN="$bin" go install -trimpath -ldflags "-s -w -X $m/version.version=$DISTRIBUTION_VERSION" \
    "$m/cmd/registry@$DISTRIBUTION_VERSION"
  # The config the upstream image bakes in (its Dockerfile copies cmd/registry/config-dev.yml to
  # /etc/distribution/config.yml): the "stock" side of the data-plane benchmark.
  dir=$(go mod download -json "$m@$DISTRIBUTION_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  mkdir -p "$cache/share"
  cp "$dir/cmd/registry/config-dev.yml" "$cache/share/registry-$DISTRIBUTION_VERSION-stock-config.yml"
  stamp registry "$DISTRIBUTION_VERSION"
}

# Registry 3.1 changes the redis section (its own struct, tls.rootcas); images tagged 3.1 run on it.
install_registry31() {
  fresh registry31 "$DISTRIBUTION_31_VERSION" && return
  log "building registry $DISTRIBUTION_31_VERSION"
  local m=github.com/distribution/distribution/v3 out="$work/registry31"
  rm -rf "$out" && mkdir -p "$out"
  GOBIN="$out" go install -trimpath -ldflags "-s -w -X $m/version.version=$DISTRIBUTION_31_VERSION" \
    "$m/cmd/registry@$DISTRIBUTION_31_VERSION"
  mv "$out/registry" "$bin/registry-3.1" && rm -rf "$out"
  stamp registry31 "$DISTRIBUTION_31_VERSION"
}

install_crane() {
  fresh crane "$CRANE_VERSION" && return
  log "building crane $CRANE_VERSION"
  GOBIN="$bin" go install -trimpath -ldflags "-s -w" \
    "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION"
  stamp crane "$CRANE_VERSION"
}

install_versitygw() {
  fresh versitygw "$VERSITYGW_VERSION" && return
  log "building versitygw $VERSITYGW_VERSION"
  GOBIN="$bin" go install -trimpath -ldflags "-s -w" \
    "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
  stamp versitygw "$VERSITYGW_VERSION"
}

install_promtool() {
  fresh promtool "$PROMETHEUS_VERSION" && return
  log "building promtool (rule commands) $PROMETHEUS_VERSION"
  # The committed module in ./promtool (its go.sum verifies every download) plus upstream's
  # unit-test runner, copied from the module it requires; built in a scratch copy.
  local out="$work/promtool" dir
  rm -rf "$out" && mkdir -p "$out" && cp "$here/promtool/"{main.go,go.mod,go.sum} "$out/"
  (
    cd "$out"
    go mod download github.com/prometheus/prometheus
    dir=$(go list -m -f '{{.Dir}}' github.com/prometheus/prometheus)
    install -m 644 "$dir/cmd/promtool/unittest.go" .
    go build -trimpath -ldflags "-s -w" -o "$bin/promtool" .
  )
  rm -rf "$out"
  stamp promtool "$PROMETHEUS_VERSION"
}

install_helm() {
  fresh helm "$HELM_VERSION" && return
  log "building helm $HELM_VERSION (cold: 2-5 min)"
  GOBIN="$bin" go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  stamp helm "$HELM_VERSION"
}

# Zarf's schema of zarf.yaml, which the built package is checked against. Zarf itself is not
# built: creating a package pulls every image it lists from its registry, out of reach here.
install_zarfschema() {
  fresh zarfschema "$ZARF_VERSION" && return
  log "fetching zarf.schema.json $ZARF_VERSION"
  local dir
  dir=$(go mod download -json "github.com/zarf-dev/zarf@$ZARF_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  mkdir -p "$cache/share"
  install -m 644 "$dir/zarf.schema.json" "$cache/share/zarf.schema.json"  # the module cache is read-only
  stamp zarfschema "$ZARF_VERSION"
}

# Registry v2.8 predates Go modules (its tags are +incompatible with vendored deps): Debian builds it.
install_debian() {
  local missing=() p
  for p in $DEBIAN_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  (( ${#missing[@]} )) || return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packages enable system services (registry on :5000, Redis on :6379); the tests start their own.
  if command -v systemctl >/dev/null; then
    systemctl disable --now docker-registry redis-server >/dev/null 2>&1 || true
  fi
}

# A failing build stops the install; background builds still running go with it (they would hold
# the lock), with the go command they run.
background=()
stop_background() {
  local pid
  for pid in "${background[@]}"; do pkill -TERM -P "$pid" 2>/dev/null; kill "$pid" 2>/dev/null; done
  return 0
}
trap stop_background EXIT

# Wrapped in a function so bash reads the whole file before running any of it.
main() {
  local all=(certmanager helm kube etcd kwok chainsaw registry registry31 crane versitygw promtool zarfschema debian)
  (( $# )) || set -- "${all[@]}"
  exec 9>"$cache/.lock"
  flock 9
  # The longest builds besides Kubernetes run alongside the others (their downloads overlap
  # theirs); a failed one fails the install.
  local t pid
  for t in "$@"; do
    if [[ $t == certmanager || $t == helm ]]; then "install_$t" & background+=($!); else "install_$t"; fi
  done
  for pid in "${background[@]}"; do wait "$pid"; done
  background=()
  log "ready in $bin"
}
main "$@"
exit
