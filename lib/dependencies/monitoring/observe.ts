import type { Dependency, Observe } from "../dependency";
import { DISCOVERY_RECHECK_MS, servedOrUnknown } from "../discovery";
import type { Monitoring } from "../../api/fields/monitoring";

/** The condition type of a registry's monitoring. */
export const MONITORING_READY = "MonitoringReady";

/** prometheus-operator's API, whose CRDs a cluster may or may not have. */
export const MONITORING_API = "monitoring.coreos.com/v1";

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
  if (wanted.length) {
    const asked = await servedOrUnknown(read, MONITORING_API, MONITORING_READY);
    if ("unknown" in asked) return asked.unknown;
    served = asked.served;
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
          `created within 45 seconds of their installation, or set ${missing
            .map(
              k =>
                `spec.monitoring.${k === "ServiceMonitor" ? "serviceMonitor" : "prometheusRule"}: false`,
            )
            .join(" and ")}. In place: ${parts.join(", ")}.`,
        blocking: false,
        recheckMs: DISCOVERY_RECHECK_MS,
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
