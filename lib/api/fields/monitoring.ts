import { z } from "zod";
import { matches, schemaRules } from "./schema-rule";
import { Labels } from "./kube";

const d = (description: string) => ({ description });

/**
 * A scrape interval: at most a minute, so the alerts' 5-minute rates always have samples enough;
 * at least 5 s.
 */
const INTERVAL = /^(([5-9]|[1-5][0-9]|60)s|1m)$/;
const INTERVAL_MESSAGE =
  'must be a duration from "5s" to "1m", such as "30s" (the alerts take rates over 5 minutes)';
const ScrapeInterval = z
  .string()
  .regex(INTERVAL, { message: INTERVAL_MESSAGE })
  .meta(schemaRules(matches(INTERVAL, INTERVAL_MESSAGE)));

const percent = (what: string, dflt: number) =>
  z
    .number()
    .gt(0)
    .lt(100)
    .optional()
    .meta(d(`${what} (percent, default ${dflt}).`));

/** The alert thresholds of a registry's PrometheusRule; every one has a default. */
export const AlertThresholds = z
  .strictObject({
    errorRatioPercent: percent(
      "RegistryHighErrorRatio fires when more than this share of requests answers 5xx for 10 minutes",
      5,
    ),
    manifestLatencySeconds: z
      .number()
      .gt(0)
      .lt(60)
      .optional()
      .meta(
        d(
          "RegistryHighLatency fires when the 99th percentile of manifest requests takes longer than this for 10 minutes (seconds, default 2; under 60, the registry's largest latency bucket). Blob transfers are left out: their time follows their size.",
        ),
      ),
    storageUsedPercent: percent(
      "RegistryStorageNearlyFull fires when the data volume is fuller than this for 5 minutes",
      85,
    ),
    certificateExpiryDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .optional()
      .meta(
        d(
          "RegistryCertificateExpiring fires when the served certificate expires within this many days (default 14).",
        ),
      ),
    upstreamErrorRatioPercent: percent(
      "CacheUpstreamErrors (a Cache only) fires when more than this share of manifest pulls answers 404 or 5xx for 10 minutes (a pull-through cache answers 404 when its upstream cannot be reached)",
      10,
    ),
  })
  .meta(d("Alert thresholds of the PrometheusRule; each defaults to a sensible value."));
export type AlertThresholds = z.infer<typeof AlertThresholds>;

export const DEFAULT_THRESHOLDS: Required<AlertThresholds> = {
  errorRatioPercent: 5,
  manifestLatencySeconds: 2,
  storageUsedPercent: 85,
  certificateExpiryDays: 14,
  upstreamErrorRatioPercent: 10,
};

/** Prometheus scraping, alerts and a dashboard for a registry's metrics. */
export const Monitoring = z
  .strictObject({
    serviceMonitor: z
      .boolean()
      .optional()
      .meta(
        d(
          "A prometheus-operator ServiceMonitor scraping the registry's metrics (default true; created once the cluster serves its CRD).",
        ),
      ),
    prometheusRule: z
      .boolean()
      .optional()
      .meta(
        d(
          "A PrometheusRule with the registry's alerts (default true; created once the cluster serves its CRD).",
        ),
      ),
    grafanaDashboard: z
      .boolean()
      .optional()
      .meta(
        d(
          'A Grafana dashboard in a ConfigMap labelled grafana_dashboard: "1", the label the Grafana sidecar loads (default true).',
        ),
      ),
    interval: ScrapeInterval.optional().meta(d('Scrape interval (default "30s", at most "1m").')),
    labels: Labels.optional().meta(
      d(
        "Labels added to the ServiceMonitor and the PrometheusRule: those your Prometheus selects them by (such as release: kube-prometheus-stack).",
      ),
    ),
    alerts: AlertThresholds.optional(),
  })
  .meta(
    d(
      "Monitoring: the registry's Prometheus metrics on a Service <name>-metrics, and each of the parts below. Not set: none of it.",
    ),
  );
export type Monitoring = z.infer<typeof Monitoring>;

export const DEFAULT_SCRAPE_INTERVAL = "30s";
