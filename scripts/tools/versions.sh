# Pinned versions of every external binary the tests, the demo and CI use.
# Changing a version here rebuilds only that tool on the next `scripts/tools/install.sh`.
KUBE_VERSION=v1.33.13
ETCD_VERSION=v3.5.24
KWOK_VERSION=v0.7.0
CHAINSAW_VERSION=v0.2.15  # also pinned in chainsaw/go.mod
COSI_API_VERSION=v0.1.0   # sigs.k8s.io/container-object-storage-interface-api: BucketClaim, BucketAccess CRDs
DISTRIBUTION_VERSION=v3.0.0 # the registry server (v3 config format) the data-plane harness runs
DISTRIBUTION_31_VERSION=v3.1.2 # registry 3.1 (Redis TLS with rootcas), built as registry-3.1
CRANE_VERSION=v0.22.1       # github.com/google/go-containerregistry: the image client of the data-plane tests
# Debian packages: registry v2.8 (the v2 config format), htpasswd (bcrypt logins for upstream
# registries), redis-server (the Redis the data-plane tests point registries at), openssl (test CAs),
# iproute2 (the pod networks of scripts/operator-deployed.ts)
DEBIAN_PACKAGES="docker-registry apache2-utils redis-server openssl busybox iproute2"
VERSITYGW_VERSION=v1.8.0   # github.com/versity/versitygw: a real S3 server (posix backend) for the S3/COSI data-plane tests
PROMETHEUS_VERSION=v0.316.0 # github.com/prometheus/prometheus (Prometheus 3.x): promtool's rule check and unit tests (also pinned in promtool/go.mod)
PROMETHEUS_OPERATOR_VERSION=v0.85.0 # github.com/prometheus-operator/prometheus-operator: ServiceMonitor and PrometheusRule CRDs
CERT_MANAGER_VERSION=v1.21.2 # github.com/cert-manager/cert-manager: its controllers and CRDs (also pinned in cert-manager/go.mod)
HELM_VERSION=v3.18.6 # helm.sh/helm/v3 (on Kubernetes 0.33 libraries, as the cluster): the packaging tests install and uninstall the built chart
ZARF_VERSION=v0.75.0 # github.com/zarf-dev/zarf: only its zarf.schema.json, against which the built zarf.yaml is checked
