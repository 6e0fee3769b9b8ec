// spec.monitoring on a real API server with the module running: without prometheus-operator's
// CRDs the condition says so and the rest works; once they are installed the ServiceMonitor and
// PrometheusRule follow, owned; parts turned off (or monitoring unset) are pruned.
import { execFileSync } from "node:child_process";
import {
  apply,
  eventually,
  getJson,
  kubectl,
  kubectlOk,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { conditionOf, getObject, waitForCondition } from "../support/conditions";
import { cacheManifest, registryManifest } from "../support/manifests";
import { moduleMetrics, sample } from "../support/metrics";

const CRDS = execFileSync("bash", ["scripts/cluster/monitoring-crds.sh"], { encoding: "utf8" })
  .trim()
  .split("\n");
const crdArgs = CRDS.flatMap(f => ["-f", f]);
const removeCrds = () => kubectl(["delete", "--ignore-not-found", "--wait=true", ...crdArgs]);

type Owned = {
  metadata: {
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};
const get = (ns: string, kind: string, name: string) => {
  const r = kubectl(["-n", ns, "get", kind, name, "-o", "json"]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Owned) : undefined;
};
const ownedBy = (o: Owned | undefined, kind: string, name: string) =>
  o?.metadata.ownerReferences?.some(r => r.kind === kind && r.name === name && r.controller);

describe("spec.monitoring", () => {
  const ns = testNamespace("monitoring");
  beforeAll(() => removeCrds(), 120_000);
  /** Failed reconciles of the Registry: each would be retried with backoff. */
  const errors = async () =>
    sample(await moduleMetrics(), "registry_operator_object_reconcile_errors_total", {
      kind: "Registry",
      object_namespace: ns.name,
      object_name: "mon",
    });
  afterAll(() => {
    ns.remove();
    removeCrds();
  }, 120_000);

  it("without prometheus-operator's CRDs: says so, serves and publishes what it can", async () => {
    const spec = { monitoring: { labels: { release: "prom" } } };
    expect(apply(registryManifest("mon", spec), ns.name).code).toBe(0);
    const c = await waitForCondition(ns.name, "registry", "mon", {
      type: "MonitoringReady",
      status: "False",
      reason: "CRDsNotInstalled",
    });
    expect(c.message).toContain(
      "does not serve monitoring.coreos.com/v1 ServiceMonitor, PrometheusRule",
    );
    // Not a reason to stop serving, nor to fail (and retry) a reconcile: no retry storm.
    await waitForCondition(ns.name, "registry", "mon", { type: "Ready", status: "True" });
    expect(await errors()).toBe(0);
    const service = await eventually(() => get(ns.name, "service", "mon-metrics"), 30_000);
    expect(ownedBy(service, "Registry", "mon")).toBe(true);
    expect(service.spec).toMatchObject({
      ports: [{ name: "metrics", port: 5001, targetPort: "debug" }],
    });
    const board = await eventually(() => get(ns.name, "configmap", "mon-dashboard"), 30_000);
    expect(ownedBy(board, "Registry", "mon")).toBe(true);
    expect(board.metadata.labels).toMatchObject({ grafana_dashboard: "1" });
    const json = JSON.parse(Object.values(board.data ?? {})[0]) as {
      uid: string;
      panels: unknown[];
    };
    expect(json.panels.length).toBeGreaterThan(5);
    // The registry's own Service still carries only the API port.
    expect(
      getJson<{ spec: { ports: { name: string }[] } }>([
        "-n",
        ns.name,
        "service",
        "mon",
      ]).spec.ports.map(p => p.name),
    ).toEqual(["http"]);
  }, 120_000);

  it("once they are installed: a ServiceMonitor and a PrometheusRule, owned, with the user's labels", async () => {
    kubectlOk(["apply", "--server-side", ...crdArgs]);
    kubectlOk(["wait", "--for=condition=Established", "--timeout=60s", ...crdArgs]);
    expect(
      apply(
        cacheManifest("cache", {
          upstreamRegistryURL: "https://registry.example.com",
          monitoring: {},
        }),
        ns.name,
      ).code,
    ).toBe(0);
    // Discovery answers are held 15 s and a missing CRD is looked for every 30 s: within 45 s
    // (docs), with a margin for the queue.
    const c = await waitForCondition(
      ns.name,
      "registry",
      "mon",
      { type: "MonitoringReady", status: "True" },
      60_000,
    );
    expect(c.message).toContain("ServiceMonitor mon");
    const monitor = get(ns.name, "servicemonitor", "mon");
    expect(ownedBy(monitor, "Registry", "mon")).toBe(true);
    expect(monitor?.metadata.labels).toMatchObject({ release: "prom" });
    const rule = get(ns.name, "prometheusrule", "mon") as Owned & {
      spec: { groups: { rules: { alert: string }[] }[] };
    };
    expect(ownedBy(rule, "Registry", "mon")).toBe(true);
    expect(rule.spec.groups[0].rules.map(r => r.alert)).toContain("RegistryDown");
    expect(await errors()).toBe(0);
    // A Cache has its own, with the upstream alert.
    await waitForCondition(
      ns.name,
      "cache",
      "cache",
      { type: "MonitoringReady", status: "True" },
      60_000,
    );
    const cacheRule = get(ns.name, "prometheusrule", "cache") as typeof rule;
    expect(ownedBy(cacheRule, "Cache", "cache")).toBe(true);
    expect(cacheRule.spec.groups[0].rules.map(r => r.alert)).toContain("CacheUpstreamErrors");
  }, 330_000);

  it("prunes what is turned off, and everything once monitoring is unset", async () => {
    const gone = (...objects: [string, string][]) =>
      eventually(
        () => (objects.every(([kind, name]) => !get(ns.name, kind, name)) ? true : undefined),
        60_000,
        `${objects.map(o => o.join(" ")).join(", ")} to go`,
      );
    const off = { monitoring: { serviceMonitor: false, grafanaDashboard: false } };
    expect(patchRegistrySpec(ns.name, "mon", off).code).toBe(0);
    await gone(["servicemonitor", "mon"], ["configmap", "mon-dashboard"]);
    expect(get(ns.name, "prometheusrule", "mon")).toBeDefined();
    kubectlOk([
      "-n",
      ns.name,
      "patch",
      "registry",
      "mon",
      "--type=json",
      "-p",
      JSON.stringify([{ op: "remove", path: "/spec/monitoring" }]),
    ]);
    await gone(["prometheusrule", "mon"], ["service", "mon-metrics"]);
    await eventually(
      () => (conditionOf(ns.name, "registry", "mon", "MonitoringReady") ? undefined : true),
      30_000,
      "MonitoringReady to go",
    );
    expect(
      getObject(ns.name, "registry", "mon").status?.conditions?.find(c => c.type === "Ready")
        ?.status,
    ).toBe("True");
  }, 150_000);
});
