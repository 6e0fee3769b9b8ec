#!/usr/bin/env bash
# Prints the paths of prometheus-operator's ServiceMonitor and PrometheusRule CRDs, from its Go
# module (downloaded once). The cluster does not install them: the monitoring tests install and
# remove them, to see the operator both with and without them.
set -euo pipefail
source "$(dirname "$0")/env.sh"
dir=$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")/example/prometheus-operator-crd
for kind in servicemonitors prometheusrules; do
  f="$dir/monitoring.coreos.com_$kind.yaml"
  [[ -f "$f" ]] || { say "could not download the prometheus-operator module"; exit 1; }
  echo "$f"
done
