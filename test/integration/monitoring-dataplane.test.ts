// The registry's own metrics, from a Cache run through the harness from what the operator applied
// (spec.monitoring on): scraped from the debug port after real pulls, they hold every series the
// alerts and the dashboard read; loaded into promtool as the ServiceMonitor would label them, the
// alert expressions evaluate on them: the upstream gone, CacheUpstreamErrors fires.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { apply, testNamespace } from "../support/kubectl";
import { crane, pushLayout } from "../support/dataplane/crane";
import { planFromCluster } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import { stockPlan, upstreamConfig } from "../support/dataplane/stock-plan";
import { cacheManifest, registryManifest } from "../support/manifests";
import { promtool } from "../support/promtool";
import { metricsIn } from "../support/promql";
import { REGISTRY_METRICS } from "../../lib/dependencies/monitoring/series";
import { alertGroup } from "../../lib/dependencies/monitoring/render";
import { dashboard } from "../../lib/dependencies/monitoring/dashboard";
import { renderContext } from "../../lib/render/context";
import { OWNERSHIP } from "../../lib/api/labels";
import type { RegistrySpec } from "../../lib/api/registry-spec";

const IMAGE = "registry:3.0.0";
const KB = 1024;

/** Series of a Prometheus text exposition: `name{labels}` → value (comments and blanks left out). */
function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}
const metricName = (series: string) => series.replace(/\{.*$/, "");

/**
 * promtool input series: each scraped registry series with the labels the ServiceMonitor adds, growing by
 * what it grew between the two scrapes every minute (the traffic seen, repeated).
 */
function inputSeries(before: Map<string, number>, after: Map<string, number>, target: string) {
  // The registry's own series (the Go runtime's gauges go up and down).
  const own = [...after].filter(([series]) => series.startsWith("registry_"));
  return own.map(([series, value]) => {
    const start = before.get(series) ?? 0;
    const labelled = series.includes("{")
      ? series.replace("{", `{${target}, `)
      : `${series}{${target}}`;
    // Gauges (in flight) keep their last value; counters and histograms grow.
    const step = metricName(series).endsWith("_in_flight_requests") ? 0 : value - start;
    return { series: labelled, values: `${start}+${step}x40` };
  });
}

describe("registry metrics, scraped from a real registry", () => {
  const ns = testNamespace("monitoring-dp");
  const scratch = mkdtempSync("/var/tmp/registry-operator-monitoring-");
  const layout = new OciLayout(join(scratch, "layout"));
  const running: RunningPod[] = [];
  afterAll(async () => {
    for (const r of running) await r.stop();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  });

  it("hold what the alerts and the dashboard read, and the alerts evaluate on them", async () => {
    const upstream = await runPod(stockPlan(IMAGE, { config: upstreamConfig() }), {
      volumeDirs: { data: join(scratch, "upstream") },
    });
    running.push(upstream);
    layout.setRoot(layout.index(["amd64", "arm64"], [200, 48 * KB]));
    await pushLayout(layout.dir, `127.0.0.1:${upstream.port(5000)}/library/app:v1`);

    const spec: RegistrySpec = { monitoring: {} };
    expect(
      apply(
        cacheManifest("r", { image: IMAGE, upstreamRegistryURL: upstream.url(5000), ...spec }),
        ns.name,
      ).code,
    ).toBe(0);
    const cache = await runPod(await planFromCluster(ns.name, "r"));
    running.push(cache);
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${cache.port(5001)}/metrics`);
      expect(res.status).toBe(200);
      return parseExposition(await res.text());
    };
    const pull = (tag: string) =>
      crane(
        ["pull", "--format=oci", cache.ref(`library/app:${tag}`), join(scratch, `pulled-${tag}`)],
        cache.craneEnv,
      ).then(
        () => "ok",
        (err: Error) => err.message,
      );

    // Pulled twice: once from the upstream, once from the cache.
    expect(await pull("v1")).toBe("ok");
    expect(await pull("v1")).toBe("ok");
    const before = await scrape();
    const names = new Set([...before.keys()].map(metricName));
    expect(Object.values(REGISTRY_METRICS).filter(m => !names.has(m))).toEqual([]);
    // And so the dashboard's registry panels read series that exist.
    const board = dashboard(renderContext("r", ns.name, "u", spec, OWNERSHIP.Cache)) as {
      panels: { targets: { expr: string }[] }[];
    };
    const registrySeries = board.panels
      .flatMap(p => p.targets.flatMap(t => metricsIn(t.expr)))
      .filter(m => m.startsWith("registry_") && !m.startsWith("registry_operator_"));
    expect(registrySeries.filter(m => !names.has(m))).toEqual([]);

    // The upstream gone, a tag not cached cannot be fetched: the cache answers 404; cached pulls work.
    await upstream.stop();
    for (let i = 0; i < 3; i++) expect(await pull("v2")).toMatch(/MANIFEST_UNKNOWN|404/);
    expect(await pull("v1")).toBe("ok");
    const after = await scrape();

    const target = `namespace="${ns.name}", registry_kind="Cache", registry="r"`;
    const series = [
      ...inputSeries(before, after, target),
      { series: `up{${target}, pod="r-0"}`, values: "1x40" },
    ];
    const ctx = (s: RegistrySpec) => renderContext("r", ns.name, "u", s, OWNERSHIP.Cache);
    const tests = (s: RegistrySpec, fire: string[], silent: string[]) => {
      const group = alertGroup(ctx(s));
      const labels = (alert: string) => group.rules.find(r => r.alert === alert)!.labels;
      const rules = group.rules.map(({ annotations: _a, ...r }) => (void _a, r));
      return promtool(["test", "rules", "tests.yaml"], {
        "rules.yaml": { groups: [{ ...group, rules }] },
        "tests.yaml": {
          rule_files: ["rules.yaml"],
          evaluation_interval: "1m",
          tests: [
            {
              interval: "1m",
              input_series: series,
              alert_rule_test: [
                ...fire.map(alertname => ({
                  eval_time: "20m",
                  alertname,
                  exp_alerts: [{ exp_labels: labels(alertname) }],
                })),
                ...silent.map(alertname => ({ eval_time: "20m", alertname, exp_alerts: [] })),
              ],
            },
          ],
        },
      });
    };
    // 3 of 5 manifest pulls failed between the scrapes; no 5xx; every manifest took milliseconds.
    const defaults = tests(
      spec,
      ["CacheUpstreamErrors"],
      ["RegistryDown", "RegistryHighErrorRatio", "RegistryHighLatency"],
    );
    if (defaults.code !== 0) console.log(defaults.output);
    expect(defaults.code).toBe(0);
    // The latency expression reads the real histogram: with a threshold below any real request it fires.
    const strict = tests(
      { monitoring: { alerts: { manifestLatencySeconds: 0.000001 } } },
      ["RegistryHighLatency"],
      [],
    );
    if (strict.code !== 0) console.log(strict.output);
    expect(strict.code).toBe(0);
  }, 180_000);

  it("of a Registry: pushes and pulls show under the labels the panels select", async () => {
    const spec: RegistrySpec = { image: IMAGE, storage: { emptyDir: {} }, monitoring: {} };
    expect(apply(registryManifest("pushed", spec), ns.name).code).toBe(0);
    const registry = await runPod(await planFromCluster(ns.name, "pushed"));
    running.push(registry);
    const other = new OciLayout(join(scratch, "other"));
    other.setRoot(other.image([300, 20 * KB]));
    await pushLayout(other.dir, registry.ref("team/app:v1"), registry.craneEnv);
    await crane(
      ["pull", "--format=oci", registry.ref("team/app:v1"), join(scratch, "p")],
      registry.craneEnv,
    );
    const res = await fetch(`http://127.0.0.1:${registry.port(5001)}/metrics`);
    const series = [...parseExposition(await res.text()).entries()].filter(([, v]) => v > 0);
    const has = (name: string, labels: string[]) =>
      series.some(([s]) => metricName(s) === name && labels.every(l => s.includes(l)));
    // The push panel: PUT of upload chunks and manifests; the pull panel: GET of manifests and blobs.
    for (const labels of [
      ['method="put"', 'handler="blob_upload_chunk"'],
      ['method="put"', 'handler="manifest"'],
      ['method="get"', 'handler="manifest"'],
      ['method="get"', 'handler="blob"'],
    ])
      expect([labels, has(REGISTRY_METRICS.requests, labels)]).toEqual([labels, true]);
    expect(has(REGISTRY_METRICS.duration, ['handler="manifest"'])).toBe(true);
  }, 120_000);
});
