import type { Dependency, Observe } from "../dependency";
import type { Monitoring } from "../../api/fields/monitoring";

/** The condition type of a registry's monitoring. */
export const MONITORING_READY = "MonitoringReady";

/** prometheus-operator's API, whose CRDs a cluster may or may not have. */
export const MONITORING_API = "monitoring.coreos.com/v1";

/** Look again this often for CRDs not installed yet: installing them reports no event to us. */
const RECHECK_MS = 60_000;

/** The prometheus-operator kinds the spec asks for. */
export const wantedKinds = (m: Monitoring): string[] => [
  ...(m.serviceMonitor !== false ? ["ServiceMonitor"] : []),
  ...(m.prometheusRule !== false ? ["PrometheusRule"] : []),
];

/**
 * `MonitoringReady` (not blocking Ready: the registry serves either way): whether the cluster
 * serves the prometheus-operator kinds the spec asks for. Its render half creates only those it
 * serves (`found`), so a cluster without them gets the condition, not failing applies.
 */
export const observeMonitoring: Observe = async ({ spec, names }, read) => {
  const monitoring = spec.monitoring;
  if (!monitoring) return undefined;
  const wanted = wantedKinds(monitoring);
  let served = new Set<string>();
  try {
    if (wanted.length) served = await read.servedKinds(MONITORING_API);
  } catch (err) {
    // Discovery failing is no reason to hold up the registry's reconcile: asked again soon.
    return {
      type: MONITORING_READY,
      ready: false,
      reason: "DiscoveryFailed",
      message: `Could not ask the API server whether it serves ${MONITORING_API}: ${String(err)}; asking again within a minute.`,
      blocking: false,
      recheckMs: RECHECK_MS,
    };
  }
  const present = wanted.filter(k => served.has(k));
  const missing = wanted.filter(k => !served.has(k));
  const found = Object.fromEntries(present.map(k => [k, "served"]));
  const parts = [
    `Service ${names.metrics} serves the registry's metrics (port metrics, /metrics)`,
    ...present.map(
      k => `${k} ${k === "ServiceMonitor" ? names.serviceMonitor : names.prometheusRule}`,
    ),
    ...(monitoring.grafanaDashboard !== false
      ? [`dashboard ConfigMap ${names.dashboard} (label grafana_dashboard: "1")`]
      : []),
  ];
  const state: Dependency = missing.length
    ? {
        type: MONITORING_READY,
        ready: false,
        reason: "CRDsNotInstalled",
        message:
          `This cluster does not serve ${MONITORING_API} ${missing.join(", ")} (prometheus-operator's CRDs are not installed); ` +
          `created within a minute and a half of their installation, or set ${missing
            .map(
              k =>
                `spec.monitoring.${k === "ServiceMonitor" ? "serviceMonitor" : "prometheusRule"}: false`,
            )
            .join(" and ")}. In place: ${parts.join(", ")}.`,
        blocking: false,
        recheckMs: RECHECK_MS,
        found,
      }
    : {
        type: MONITORING_READY,
        ready: true,
        reason: "Configured",
        message: `${parts.join("; ")}.`,
        blocking: false,
        found,
      };
  return state;
};
