// The alerts a Registry's and a Cache's PrometheusRule hold, as Prometheus itself reads them:
// `promtool check rules` validates them (PromQL, templates), and `promtool test rules` evaluates
// each on synthetic series: it fires on the condition it names and stays silent otherwise.
import type { RegistrySpec } from "../../lib/api/registry-spec";
import { OWNERSHIP } from "../../lib/api/labels";
import { alertGroup } from "../../lib/dependencies/monitoring/render";
import { dashboard } from "../../lib/dependencies/monitoring/dashboard";
import { renderContext } from "../../lib/render/context";
import { promtool } from "../support/promtool";

type Kind = "Registry" | "Cache";
const ctx = (spec: RegistrySpec, kind: Kind = "Registry") =>
  renderContext("r", "ns", "uid-1", spec, OWNERSHIP[kind]);
const FULL: RegistrySpec = {
  storage: { filesystem: { size: "10Gi" } },
  tls: { selfSigned: {} },
  monitoring: {},
};

/** Series labels of the registry's own series, and of the operator's about it. */
const reg = (kind: Kind = "Registry") => `namespace="ns", registry_kind="${kind}", registry="r"`;
const obj = (kind: Kind = "Registry") => `kind="${kind}", object_namespace="ns", object_name="r"`;
const claim = 'namespace="ns", persistentvolumeclaim="r-data"';

interface Series {
  series: string;
  values: string;
}
interface Scenario {
  alert: string;
  kind?: Kind;
  /** When to look (the alert's `for` has passed by then). */
  at: string;
  fires: Series[];
  silent: Series[];
  /** Labels of the series that the firing alert keeps (besides the rule's own). */
  keeps?: Record<string, string>;
}

const requests = (kind: Kind, code: string, perMinute: number, method = "get") => ({
  series: `registry_http_requests_total{${reg(kind)}, code="${code}", handler="manifest", method="${method}"}`,
  values: `0+${perMinute}x40`,
});
const buckets = (le: Record<string, number>) =>
  Object.entries(le).map(([bound, perMinute]) => ({
    series: `registry_http_request_duration_seconds_bucket{${reg()}, handler="manifest", method="get", le="${bound}"}`,
    values: `0+${perMinute}x40`,
  }));

const SCENARIOS: Scenario[] = [
  {
    alert: "RegistryDown",
    at: "10m",
    fires: [{ series: `up{${reg()}, pod="r-1"}`, values: "0x15" }],
    silent: [{ series: `up{${reg()}, pod="r-1"}`, values: "1x15" }],
  },
  {
    alert: "RegistryNoReadyReplicas",
    at: "10m",
    fires: [
      {
        series: `registry_operator_condition{${obj()}, condition="Available", status="False"}`,
        values: "1x15",
      },
    ],
    silent: [
      {
        series: `registry_operator_condition{${obj()}, condition="Available", status="True"}`,
        values: "1x15",
      },
    ],
    keeps: {
      kind: "Registry",
      object_namespace: "ns",
      object_name: "r",
      condition: "Available",
      status: "False",
    },
  },
  {
    alert: "RegistryNotReady",
    at: "20m",
    fires: [
      {
        series: `registry_operator_condition{${obj()}, condition="Ready", status="False"}`,
        values: "1x25",
      },
    ],
    // Not Ready for ten minutes only (a rollout): not yet an alert.
    silent: [
      {
        series: `registry_operator_condition{${obj()}, condition="Ready", status="False"}`,
        values: "1x10 _x15",
      },
    ],
    keeps: {
      kind: "Registry",
      object_namespace: "ns",
      object_name: "r",
      condition: "Ready",
      status: "False",
    },
  },
  {
    alert: "RegistryHighErrorRatio",
    at: "20m",
    // 10 of 110 requests a minute fail (9%; the default threshold is 5%).
    fires: [requests("Registry", "200", 100), requests("Registry", "500", 10)],
    silent: [requests("Registry", "200", 100), requests("Registry", "500", 1)],
  },
  {
    alert: "RegistryHighLatency",
    at: "20m",
    // Every manifest request takes 2.5-5 s (the default threshold is 2 s at the 99th percentile).
    fires: buckets({ "0.5": 0, "2.5": 0, "5": 10, "+Inf": 10 }),
    silent: buckets({ "0.5": 10, "2.5": 10, "5": 10, "+Inf": 10 }),
  },
  {
    alert: "RegistryStorageNearlyFull",
    at: "10m",
    fires: [
      { series: `kubelet_volume_stats_used_bytes{${claim}}`, values: "90x15" },
      { series: `kubelet_volume_stats_capacity_bytes{${claim}}`, values: "100x15" },
    ],
    silent: [
      { series: `kubelet_volume_stats_used_bytes{${claim}}`, values: "80x15" },
      { series: `kubelet_volume_stats_capacity_bytes{${claim}}`, values: "100x15" },
    ],
    keeps: { persistentvolumeclaim: "r-data" },
  },
  {
    alert: "RegistryStorageFillingUp",
    at: "120m",
    // 1 GB a minute into a 1000 GB volume 60% full: full in under a day.
    fires: [
      { series: `kubelet_volume_stats_available_bytes{${claim}}`, values: "400-1x130" },
      { series: `kubelet_volume_stats_used_bytes{${claim}}`, values: "600+1x130" },
      { series: `kubelet_volume_stats_capacity_bytes{${claim}}`, values: "1000x130" },
    ],
    silent: [
      { series: `kubelet_volume_stats_available_bytes{${claim}}`, values: "400x130" },
      { series: `kubelet_volume_stats_used_bytes{${claim}}`, values: "600x130" },
      { series: `kubelet_volume_stats_capacity_bytes{${claim}}`, values: "1000x130" },
    ],
    keeps: { persistentvolumeclaim: "r-data" },
  },
  {
    alert: "RegistryCertificateExpiring",
    at: "30m",
    // promtool's clock starts at the Unix epoch: these expire 10 days, and 30 days, after it.
    fires: [
      {
        series: `registry_operator_certificate_expiry_timestamp_seconds{${obj()}}`,
        values: `${10 * 86400}x40`,
      },
    ],
    silent: [
      {
        series: `registry_operator_certificate_expiry_timestamp_seconds{${obj()}}`,
        values: `${30 * 86400}x40`,
      },
    ],
    keeps: { kind: "Registry", object_namespace: "ns", object_name: "r" },
  },
  {
    alert: "CacheUpstreamErrors",
    kind: "Cache",
    at: "20m",
    // A third of manifest pulls answer 404 (the upstream is gone; containerd asks with HEAD);
    // silent: one in twenty-one.
    fires: [requests("Cache", "200", 10), requests("Cache", "404", 5, "head")],
    silent: [requests("Cache", "200", 20), requests("Cache", "404", 1)],
  },
  {
    alert: "RegistryReconcileErrors",
    at: "30m",
    fires: [
      // The counter appears at 1 with the first error.
      { series: `registry_operator_object_reconcile_errors_total{${obj()}}`, values: "1+1x40" },
    ],
    // Errors long ago, none since.
    silent: [
      { series: `registry_operator_object_reconcile_errors_total{${obj()}}`, values: "3x40" },
    ],
    keeps: { kind: "Registry", object_namespace: "ns", object_name: "r" },
  },
];

/** A series as another registry (same namespace) would have it. */
const elsewhere = (s: Series): Series => ({
  ...s,
  series: s.series
    .replace('registry="r"', 'registry="other"')
    .replace('object_name="r"', 'object_name="other"')
    .replace('persistentvolumeclaim="r-data"', 'persistentvolumeclaim="other-data"'),
});

/** The rule file of one registry; annotations (checked by `check rules`) left out for exact matches. */
const ruleFile = (kind: Kind) => {
  const group = alertGroup(ctx(FULL, kind));
  return {
    groups: [
      { ...group, rules: group.rules.map(({ annotations: _a, ...rule }) => (void _a, rule)) },
    ],
  };
};

describe("alert rules, checked and evaluated by promtool", () => {
  it("are valid Prometheus rules, annotations included, for a Registry and a Cache", () => {
    for (const kind of ["Registry", "Cache"] as const) {
      const r = promtool(["check", "rules", "rules.yaml"], {
        "rules.yaml": { groups: [alertGroup(ctx(FULL, kind))] },
      });
      expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
      expect(r.code).toBe(0);
    }
  });

  it("the checker refuses a broken expression (it checks PromQL)", () => {
    const group = alertGroup(ctx(FULL));
    group.rules[0] = { ...group.rules[0], expr: "sum(up{" };
    const r = promtool(["check", "rules", "rules.yaml"], { "rules.yaml": { groups: [group] } });
    expect(r.code).not.toBe(0);
  });

  it("every alert has a scenario", () => {
    const alerts = (kind: Kind) => alertGroup(ctx(FULL, kind)).rules.map(r => r.alert);
    expect(new Set([...alerts("Registry"), ...alerts("Cache")])).toEqual(
      new Set(SCENARIOS.map(s => s.alert)),
    );
  });

  it.each(SCENARIOS.map(s => [s.alert, s] as const))(
    "%s fires on its condition and stays silent otherwise",
    (_name, s) => {
      const kind = s.kind ?? "Registry";
      const rule = alertGroup(ctx(FULL, kind)).rules.find(r => r.alert === s.alert)!;
      const test = (name: string, series: Series[], firing: boolean) => ({
        name,
        interval: "1m",
        input_series: series,
        alert_rule_test: [
          {
            eval_time: s.at,
            alertname: s.alert,
            exp_alerts: firing ? [{ exp_labels: { ...s.keeps, ...rule.labels } }] : [],
          },
        ],
      });
      const r = promtool(["test", "rules", "tests.yaml"], {
        "rules.yaml": ruleFile(kind),
        "tests.yaml": {
          rule_files: ["rules.yaml"],
          evaluation_interval: "1m",
          tests: [
            test(`${s.alert} fires`, s.fires, true),
            test(`${s.alert} stays silent`, s.silent, false),
            // The same condition on another registry's series is not this registry's alert.
            test(`${s.alert} ignores another registry`, s.fires.map(elsewhere), false),
          ],
        },
      });
      if (r.code !== 0) console.log(r.output);
      expect(r.code).toBe(0);
    },
  );

  it("the dashboard's queries are valid PromQL", () => {
    const board = dashboard(ctx(FULL, "Cache")) as {
      panels: { targets: { expr: string }[] }[];
    };
    // Grafana's variables, as Grafana substitutes them.
    const exprs = board.panels
      .flatMap(p => p.targets.map(t => t.expr))
      .map(e => e.replaceAll("$__rate_interval", "1m").replaceAll("$", ""));
    const r = promtool(["check", "rules", "rules.yaml"], {
      "rules.yaml": {
        groups: [
          { name: "dashboard", rules: exprs.map((expr, i) => ({ record: `panel:${i}`, expr })) },
        ],
      },
    });
    expect(r.output).toContain(`SUCCESS: ${exprs.length} rules found`);
    expect(r.code).toBe(0);
  });
});
