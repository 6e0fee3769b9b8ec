import type { kind } from "pepr";
import type { KubeObject } from "../../kubernetes/objects";
import { DEFAULT_SCRAPE_INTERVAL } from "../../api/fields/monitoring";
import { podSelector } from "../../api/labels";
import type { Contribution } from "../../render/contribution";
import type { RenderContext } from "../../render/context";
import { PORTS } from "../../render/config";
import { alertRules } from "./alerts";
import { dashboard } from "./dashboard";
import { MONITORING_API } from "./observe";
import { TARGET_LABELS } from "./series";

/** Marks the metrics Service among a registry's Services (what the ServiceMonitor selects). */
const COMPONENT = { "app.kubernetes.io/component": "metrics" };
/** The label the Grafana sidecar loads dashboards from. */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" };
export const METRICS_PORT = "metrics";

/**
 * The render half of monitoring: a Service for the debug port's /metrics (the public Service never
 * carries it: the debug server also serves pprof), the ServiceMonitor and PrometheusRule the
 * cluster serves the kinds of (`found`, from the observe half) and the dashboard ConfigMap.
 */
export function monitoringContribution(
  ctx: RenderContext,
  found: Record<string, string> = {},
): Contribution {
  const monitoring = ctx.spec.monitoring;
  if (!monitoring) return {};
  const { names, namespace, labels, name, owner } = ctx;
  // The user's labels never replace the operator's own (the owner label is how prune finds them).
  const theirs = { ...monitoring.labels, ...labels };
  const objects: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: names.metrics, namespace, labels: { ...labels, ...COMPONENT } },
      spec: {
        type: "ClusterIP",
        selector: podSelector(labels),
        ports: [{ name: METRICS_PORT, port: PORTS.debug, targetPort: "debug", protocol: "TCP" }],
      },
    } satisfies kind.Service,
  ];
  if (found.ServiceMonitor && monitoring.serviceMonitor !== false)
    objects.push({
      apiVersion: MONITORING_API,
      kind: "ServiceMonitor",
      metadata: { name: names.serviceMonitor, namespace, labels: theirs },
      spec: {
        selector: { matchLabels: { ...podSelector(labels), ...COMPONENT } },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [
          {
            port: METRICS_PORT,
            path: "/metrics",
            interval: monitoring.interval ?? DEFAULT_SCRAPE_INTERVAL,
            // Every series names its registry, as the alerts and the dashboard select it.
            relabelings: [
              { action: "replace", targetLabel: TARGET_LABELS.registry, replacement: name },
              { action: "replace", targetLabel: TARGET_LABELS.kind, replacement: owner.kind },
            ],
          },
        ],
      },
    });
  if (found.PrometheusRule && monitoring.prometheusRule !== false)
    objects.push({
      apiVersion: MONITORING_API,
      kind: "PrometheusRule",
      metadata: { name: names.prometheusRule, namespace, labels: theirs },
      spec: { groups: [alertGroup(ctx)] },
    });
  if (monitoring.grafanaDashboard !== false)
    objects.push({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: names.dashboard, namespace, labels: { ...labels, ...DASHBOARD_LABEL } },
      data: {
        [`${owner.kind.toLowerCase()}-${namespace}-${name}.json`]: JSON.stringify(dashboard(ctx)),
      },
    } satisfies kind.ConfigMap);
  return { objects };
}

/** The rule group of one registry, as a PrometheusRule and a Prometheus rule file hold it. */
export const alertGroup = (ctx: RenderContext) => ({
  name: `registry-operator.${ctx.owner.kind.toLowerCase()}.${ctx.namespace}.${ctx.name}`,
  rules: alertRules(ctx),
});
