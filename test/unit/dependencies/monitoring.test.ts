import { noAccounts } from "../../support/fake-reader";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import type { KubeObject } from "../../../lib/kubernetes/objects";
import type { Reader } from "../../../lib/dependencies/dependency";
import { RegistrySpec as RegistrySpecSchema } from "../../../lib/api/registry-spec";
import { MONITORING_READY, observeMonitoring } from "../../../lib/dependencies/monitoring/observe";
import { monitoringContribution } from "../../../lib/dependencies/monitoring/render";
import { dashboard } from "../../../lib/dependencies/monitoring/dashboard";
import { alertRules } from "../../../lib/dependencies/monitoring/alerts";
import { OPERATOR_METRICS } from "../../../lib/telemetry/metric-names";
import { KUBELET_METRICS, REGISTRY_METRICS } from "../../../lib/dependencies/monitoring/series";
import { renderContext } from "../../../lib/render/context";
import { childNames } from "../../../lib/render/names";
import { OWNERSHIP } from "../../../lib/api/labels";
import { operatorMetrics } from "../../../lib/module/registry-metrics";
import { formatIssues } from "../../../lib/admission/issues";
import { metricsIn } from "../../support/promql";
import { renderRegistryOf } from "../../support/render";

const reader = (served: string[]): Reader & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    object: async () => undefined,
    data: async () => undefined,
    childData: async () => undefined,
    ...noAccounts,
    servedKinds: async apiVersion => {
      asked.push(apiVersion);
      return new Set(served);
    },
    pingRedis: async () => ({ ok: true }),
  };
};
const observeCtx = (spec: RegistrySpec) => ({ spec, names: childNames("r"), namespace: "ns" });
const ctx = (spec: RegistrySpec, kind: "Registry" | "Cache" = "Registry") =>
  renderContext("r", "ns", "uid-1", spec, OWNERSHIP[kind]);
const byKind = (objects: KubeObject[], kind: string) => objects.filter(o => o.kind === kind);

describe("monitoring: observe half", () => {
  it("is not in use, and asks nothing, without spec.monitoring", async () => {
    const read = reader([]);
    expect(await observeMonitoring(observeCtx({}), read)).toBeUndefined();
    expect(read.asked).toEqual([]);
  });

  it("says which CRDs are missing, without blocking Ready, and looks again", async () => {
    const state = await observeMonitoring(observeCtx({ monitoring: {} }), reader([]));
    expect(state).toMatchObject({
      type: MONITORING_READY,
      ready: false,
      reason: "CRDsNotInstalled",
      blocking: false,
      recheckMs: 30_000,
      found: {},
    });
    expect(state?.message).toContain(
      "This cluster does not serve monitoring.coreos.com/v1 ServiceMonitor, PrometheusRule",
    );
    expect(state?.message).toContain("Service r-metrics serves the registry's metrics");
  });

  it("asks only for the kinds turned on, and is ready when the cluster serves them", async () => {
    const state = await observeMonitoring(
      observeCtx({ monitoring: { prometheusRule: false } }),
      reader(["ServiceMonitor", "PodMonitor"]),
    );
    expect(state).toMatchObject({
      ready: true,
      reason: "Configured",
      found: { ServiceMonitor: "served" },
    });
    expect(state?.recheckMs).toBeUndefined();
  });
});

describe("monitoring: render half", () => {
  const all = { ServiceMonitor: "served", PrometheusRule: "served" };

  it("renders nothing without spec.monitoring (the debug port stays off every Service)", () => {
    const { objects } = renderRegistryOf({ name: "r", namespace: "ns", uid: "u", spec: {} });
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).not.toContain("Service/r-metrics");
    expect(monitoringContribution(ctx({}), all)).toEqual({});
  });

  it("without the CRDs: the metrics Service and the dashboard only", () => {
    const { objects = [] } = monitoringContribution(ctx({ monitoring: {} }));
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Service/r-metrics",
      "ConfigMap/r-dashboard",
    ]);
    expect(objects[0]).toMatchObject({
      spec: { ports: [{ name: "metrics", port: 5001, targetPort: "debug" }] },
    });
    expect(objects[1].metadata.labels).toMatchObject({ grafana_dashboard: "1" });
  });

  it("a ServiceMonitor that selects the metrics Service, not the registry's own", () => {
    const spec = { monitoring: { interval: "15s", labels: { release: "prom" } } };
    const rendered = renderRegistryOf({
      name: "r",
      namespace: "ns",
      uid: "u",
      spec,
      found: { [MONITORING_READY]: all },
    });
    const [monitor] = byKind(rendered.objects, "ServiceMonitor");
    const services = byKind(rendered.objects, "Service");
    const selector = (monitor.spec as { selector: { matchLabels: Record<string, string> } })
      .selector.matchLabels;
    const selects = (o: KubeObject) =>
      Object.entries(selector).every(([k, v]) => o.metadata.labels?.[k] === v);
    expect(services.filter(selects).map(s => s.metadata.name)).toEqual(["r-metrics"]);
    expect(monitor.metadata.labels).toMatchObject({ release: "prom" });
    expect(monitor.metadata).toMatchObject({ ownerReferences: [{ kind: "Registry", name: "r" }] });
    expect(monitor.spec).toMatchObject({
      namespaceSelector: { matchNames: ["ns"] },
      endpoints: [{ port: "metrics", path: "/metrics", interval: "15s" }],
    });
    const [rule] = byKind(rendered.objects, "PrometheusRule");
    expect(rule.metadata.labels).toMatchObject({ release: "prom" });
  });

  it("leaves out what is turned off", () => {
    const { objects = [] } = monitoringContribution(
      ctx({
        monitoring: { serviceMonitor: false, prometheusRule: false, grafanaDashboard: false },
      }),
      all,
    );
    expect(objects.map(o => o.kind)).toEqual(["Service"]);
  });
});

describe("monitoring: alerts", () => {
  const names = (spec: RegistrySpec, kind?: "Registry" | "Cache") =>
    alertRules(ctx(spec, kind)).map(r => r.alert);

  it("fit the registry: storage alerts on a claim, certificate alerts with TLS, upstream on a Cache", () => {
    const base = [
      "RegistryDown",
      "RegistryNoReadyReplicas",
      "RegistryNotReady",
      "RegistryHighErrorRatio",
      "RegistryHighLatency",
    ];
    expect(names({ storage: { emptyDir: {} } })).toEqual([...base, "RegistryReconcileErrors"]);
    expect(names({ storage: { filesystem: { size: "1Gi" } }, tls: { selfSigned: {} } })).toEqual([
      ...base,
      "RegistryStorageNearlyFull",
      "RegistryStorageFillingUp",
      "RegistryCertificateExpiring",
      "RegistryReconcileErrors",
    ]);
    expect(names({ storage: { emptyDir: {} } }, "Cache")).toContain("CacheUpstreamErrors");
    // Scaled to zero on purpose: no replica is not an alert.
    expect(names({ replicas: 0 })).not.toContain("RegistryNoReadyReplicas");
    expect(names({ replicas: 0, autoscaling: { maxReplicas: 3 } })).toContain(
      "RegistryNoReadyReplicas",
    );
  });

  it("take the thresholds of the spec, and default them", () => {
    const expr = (spec: RegistrySpec, alert: string) =>
      alertRules(ctx(spec)).find(r => r.alert === alert)?.expr;
    expect(expr({}, "RegistryHighErrorRatio")).toMatch(/ > 5$/);
    expect(
      expr({ monitoring: { alerts: { errorRatioPercent: 1.5 } } }, "RegistryHighErrorRatio"),
    ).toMatch(/ > 1.5$/);
    expect(
      expr({ monitoring: { alerts: { manifestLatencySeconds: 0.25 } } }, "RegistryHighLatency"),
    ).toMatch(/ > 0.25$/);
  });

  it("each carry a severity, the registry's labels, a summary, a description and a runbook section", () => {
    for (const rule of alertRules(
      ctx({ storage: { filesystem: {} }, tls: { selfSigned: {} } }, "Registry"),
    )) {
      expect(rule.labels).toMatchObject({
        namespace: "ns",
        registry: "r",
        registry_kind: "Registry",
      });
      expect(["critical", "warning"]).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toContain("Registry ns/r");
      expect(rule.annotations.description.length).toBeGreaterThan(20);
      expect(rule.annotations.runbook).toBe(`docs/monitoring.md#${rule.alert.toLowerCase()}`);
    }
  });
});

describe("monitoring: schema", () => {
  const issues = (monitoring: unknown) =>
    formatIssues(RegistrySpecSchema.safeParse({ monitoring }).error?.issues ?? [], ["spec"]);

  it("refuses bad durations, thresholds and labels, naming the field and the bound", () => {
    expect(issues({ interval: "30 seconds" })).toEqual([
      'spec.monitoring.interval: must be a duration from "5s" to "1m", such as "30s" (the alerts take rates over 5 minutes)',
    ]);
    expect(issues({ interval: "5m" })[0]).toMatch(
      /^spec.monitoring.interval: must be a duration from/,
    );
    expect(issues({ alerts: { errorRatioPercent: 0 } })).toEqual([
      "spec.monitoring.alerts.errorRatioPercent: must be more than 0",
    ]);
    expect(issues({ alerts: { storageUsedPercent: 100 } })).toEqual([
      "spec.monitoring.alerts.storageUsedPercent: must be less than 100",
    ]);
    expect(issues({ labels: { "bad key!": "x" } })[0]).toMatch(
      /^spec.monitoring.labels: keys must be label names/,
    );
    expect(issues({ labels: { release: "a b" } })[0]).toMatch(/^spec.monitoring.labels/);
    expect(
      issues({ labels: { "prometheus.io/release": "kube-prom_1.0" }, interval: "1m" }),
    ).toEqual([]);
  });
});

describe("monitoring: the dashboard", () => {
  const board = dashboard(ctx({ monitoring: {} }, "Cache")) as {
    uid: string;
    title: string;
    schemaVersion: number;
    templating: { list: { name: string; type: string; current?: { value?: string } }[] };
    panels: {
      id: number;
      type: string;
      title: string;
      gridPos: Record<"x" | "y" | "w" | "h", number>;
      datasource: { type: string; uid: string };
      targets: { refId: string; expr: string; datasource: unknown }[];
    }[];
  };

  it("is a Grafana dashboard: uid, title, schema version, templated by data source, namespace and registry", () => {
    expect(board.uid.length).toBeLessThanOrEqual(40);
    expect(board.uid).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(board.title).toBe("Cache ns/r");
    expect(board.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(board.templating.list.map(v => [v.name, v.type])).toEqual([
      ["datasource", "datasource"],
      ["namespace", "query"],
      ["registry", "query"],
    ]);
    expect(board.templating.list[2].current?.value).toBe("r");
    // Another registry's dashboard has another uid.
    expect(dashboard(ctx({}, "Registry")).uid).not.toBe(board.uid);
  });

  it("has panels with unique ids, a place on the 24-column grid and queries with unique refIds", () => {
    const ids = board.panels.map(p => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of board.panels) {
      expect(p.type).toBe("timeseries");
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      expect(p.gridPos.h).toBeGreaterThan(0);
      expect(p.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(p.targets.length).toBeGreaterThan(0);
      const refIds = p.targets.map(t => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
    expect(board.panels.map(p => p.title)).toEqual(
      expect.arrayContaining([
        "Pulls per second",
        "Pushes per second",
        "Errors",
        "Manifest latency",
        "Storage used (filesystem volumes)",
        "Cache hit ratio",
        "Replicas",
        "Operator",
      ]),
    );
  });

  it("queries only metrics the registry, the kubelet or the operator export", async () => {
    const operator = (await operatorMetrics.getMetricsAsJSON()).flatMap(m =>
      m.type === ("histogram" as unknown) ? [`${m.name}_bucket`] : [m.name],
    );
    const known = new Set([
      "up",
      ...Object.values(REGISTRY_METRICS),
      ...Object.values(KUBELET_METRICS),
      ...operator,
    ]);
    const used = board.panels.flatMap(p => p.targets.flatMap(t => metricsIn(t.expr)));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter(m => !known.has(m))).toEqual([]);
    // The names the alerts and panels share with the operator are the ones it exports.
    for (const name of Object.values(OPERATOR_METRICS))
      expect(operator.some(m => m === name || m === `${name}_bucket`)).toBe(true);
  });
});
