import { DEFAULT_THRESHOLDS } from "../../api/fields/monitoring";
import { OPERATOR_METRICS } from "../../telemetry/metric-names";
import type { RenderContext } from "../../render/context";
import { servesTls } from "../tls/serving";
import {
  KUBELET_METRICS as K,
  objectSelector,
  REGISTRY_METRICS as R,
  registrySelector,
  TARGET_LABELS,
} from "./series";

/** One alerting rule, as Prometheus and a PrometheusRule's `spec.groups[].rules[]` read it. */
export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string; runbook: string };
}

/** Pulls: containerd resolves a tag with HEAD, other clients GET the manifest. */
const PULL = 'method=~"get|head"';

/** Where each alert's runbook is: a section of docs/monitoring.md named after the alert. */
const runbook = (alert: string) => `docs/monitoring.md#${alert.toLowerCase()}`;

/**
 * The alerts of one Registry or Cache, from its resolved spec (pure). Registry series are selected
 * by the labels its ServiceMonitor adds (namespace, registry_kind, registry); the operator's by
 * kind, object_namespace, object_name. Alerts carry those of the registry, so they route by
 * namespace whichever series they come from.
 */
export function alertRules(ctx: RenderContext): AlertRule[] {
  const { spec, names, namespace, name, owner } = ctx;
  const t = { ...DEFAULT_THRESHOLDS, ...spec.monitoring?.alerts };
  const sel = registrySelector(ctx);
  const obj = objectSelector(ctx);
  const who = `${owner.kind} ${namespace}/${name}`;
  const rule = (
    alert: string,
    severity: "critical" | "warning",
    expr: string,
    wait: string,
    summary: string,
    description: string,
  ): AlertRule => ({
    alert,
    expr,
    for: wait,
    labels: {
      severity,
      namespace,
      [TARGET_LABELS.kind]: owner.kind,
      [TARGET_LABELS.registry]: name,
    },
    annotations: { summary, description, runbook: runbook(alert) },
  });
  const condition = (type: string, status: string) =>
    `${OPERATOR_METRICS.condition}{${obj}, condition="${type}", status="${status}"} == 1`;
  const requests = (filter = "") => `sum(rate(${R.requests}{${sel}${filter}}[5m]))`;
  const claim = `namespace="${namespace}", persistentvolumeclaim="${names.data}"`;
  const usedPercent = `100 * ${K.volumeUsed}{${claim}} / ${K.volumeCapacity}{${claim}}`;
  return [
    rule(
      "RegistryDown",
      "critical",
      `sum(up{${sel}}) == 0`,
      "5m",
      `${who}: every pod fails its metrics scrape`,
      "Prometheus has not reached any pod of the registry for 5 minutes: the pods are down or hang.",
    ),
    // Scaled to zero on purpose: no replica, and not Ready, is what was asked for.
    ...(spec.replicas === 0 && !spec.autoscaling
      ? []
      : [
          rule(
            "RegistryNoReadyReplicas",
            "critical",
            condition("Available", "False"),
            "5m",
            `${who} has no ready replica`,
            "The operator has seen no ready endpoint behind the registry's Service for 5 minutes: pulls and pushes fail. Its status conditions say why.",
          ),
          rule(
            "RegistryNotReady",
            "warning",
            condition("Ready", "False"),
            "15m",
            `${who} has not been Ready for 15 minutes`,
            "A dependency (storage, Redis, certificate) or a rollout keeps the registry from Ready; its status conditions say which.",
          ),
        ]),
    rule(
      "RegistryHighErrorRatio",
      "warning",
      `100 * ${requests(', code=~"5.."')} / ${requests()} > ${t.errorRatioPercent}`,
      "10m",
      `${who} answers {{ $value | humanize }}% of requests with 5xx`,
      `More than ${t.errorRatioPercent}% of the registry's requests failed on the server side for 10 minutes (spec.monitoring.alerts.errorRatioPercent).`,
    ),
    rule(
      "RegistryHighLatency",
      "warning",
      `histogram_quantile(0.99, sum by (le) (rate(${R.duration}{${sel}, handler="manifest"}[5m]))) > ${t.manifestLatencySeconds}`,
      "10m",
      `${who}: 99th percentile of manifest requests is {{ $value | humanizeDuration }}`,
      `Manifest requests have taken longer than ${t.manifestLatencySeconds}s at the 99th percentile for 10 minutes (spec.monitoring.alerts.manifestLatencySeconds).`,
    ),
    ...(spec.storage?.filesystem
      ? [
          rule(
            "RegistryStorageNearlyFull",
            "warning",
            `${usedPercent} > ${t.storageUsedPercent}`,
            "5m",
            `${who}: volume ${names.data} is {{ $value | humanize }}% full`,
            `The registry's data volume is fuller than ${t.storageUsedPercent}% (spec.monitoring.alerts.storageUsedPercent); pushes fail once it is full.`,
          ),
          rule(
            "RegistryStorageFillingUp",
            "warning",
            `predict_linear(${K.volumeAvailable}{${claim}}[6h], 86400) < 0 and ${usedPercent} > 50`,
            "1h",
            `${who}: volume ${names.data} fills within a day at the current rate`,
            "At the rate of the last 6 hours the registry's data volume is full within 24 hours.",
          ),
        ]
      : []),
    ...(servesTls(spec)
      ? [
          rule(
            "RegistryCertificateExpiring",
            "warning",
            `${OPERATOR_METRICS.certificateExpiry}{${obj}} - time() < ${t.certificateExpiryDays * 86400}`,
            "15m",
            `${who}: the served certificate expires in {{ $value | humanizeDuration }}`,
            `The certificate the registry serves expires within ${t.certificateExpiryDays} days (spec.monitoring.alerts.certificateExpiryDays) and has not been renewed.`,
          ),
        ]
      : []),
    ...(owner.kind === "Cache"
      ? [
          rule(
            "CacheUpstreamErrors",
            "warning",
            `100 * ${requests(`, handler="manifest", ${PULL}, code=~"404|5.."`)} / ${requests(`, handler="manifest", ${PULL}`)} > ${t.upstreamErrorRatioPercent}`,
            "10m",
            `${who}: {{ $value | humanize }}% of manifest pulls fail`,
            `More than ${t.upstreamErrorRatioPercent}% of manifest pulls through the cache failed for 10 minutes (spec.monitoring.alerts.upstreamErrorRatioPercent). A pull-through cache answers 404 when it cannot reach its upstream, as for a tag the upstream lacks: the upstream is down, refuses the credentials, or clients ask for what it does not have.`,
          ),
        ]
      : []),
    rule(
      "RegistryReconcileErrors",
      "warning",
      `increase(${OPERATOR_METRICS.objectReconcileErrors}{${obj}}[10m]) > 0`,
      "15m",
      `The operator fails to reconcile ${who}`,
      "Reconciles of this object have failed for 15 minutes; the operator's log names the error, and the object's Events what it could not do.",
    ),
  ];
}
