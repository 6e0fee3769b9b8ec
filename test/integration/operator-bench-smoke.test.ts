import { existsSync } from "node:fs";
import { join } from "node:path";
import { removeFlowSchemas } from "../../bench/operator/api-cost";
import { Kube, loadKubeconfig } from "../../bench/operator/kube";
import { markdown } from "../../bench/operator/report";
import { runBenchmark, type Result } from "../../bench/operator/run";

// Runs the operator benchmark's own code (bench/operator/) small, against the running module, so
// `npm run bench:operator` keeps working. Checks that every figure was produced, not how good it is.
describe("operator benchmark (smoke, N=20)", () => {
  let result: Result;

  beforeAll(async () => {
    result = await runBenchmark({
      sizes: [20],
      concurrency: 5,
      namespaces: 2,
      idleMinutes: 0.25,
      admissionRate: 10,
      admissionSeconds: 2,
      selfHealSamples: 3,
      timeoutMinutes: 4,
      floor: true,
      prefix: "smoke",
      // scripts/test/all.sh writes the module's output there (handler latencies come from it).
      moduleLog:
        process.env.BENCH_MODULE_LOG ??
        [join(__dirname, "../../.test-results/operator.log")].find(existsSync),
      log: () => {},
    });
  }, 600_000);

  afterAll(async () => {
    const kube = new Kube(loadKubeconfig(), 2);
    await removeFlowSchemas(kube).catch(() => {});
    kube.close();
  });

  it("finds the module process and its baseline", () => {
    expect(result.module.pid).toBeGreaterThan(0);
    expect(result.baseline.rssMiB).toBeGreaterThan(0);
    expect(result.baseline.sockets).toBeGreaterThan(0);
    expect(result.baseline.apiConnections).toBeGreaterThanOrEqual(0);
  });

  it("measures convergence, the API floor and API cost", () => {
    const [size] = result.sizes;
    expect(size.convergence).toMatchObject({ n: 20, ready: 20, timedOut: false });
    expect(size.convergence.registriesPerSecond).toBeGreaterThan(0);
    expect(size.convergence.timeToReadyMs.p50).toBeGreaterThan(0);
    expect(size.convergence.timeToReadyMs.p99).toBeGreaterThan(0);
    expect(size.floor.objectsPerRegistry).toBeGreaterThan(0);
    expect(size.floor.errors).toBe(0);
    expect(size.floorRatio).toBeGreaterThan(0);
    // The FlowSchemas matched the operator: it must have written children and status. Under
    // `npm test` the module runs as system:masters, counted through the built-in exempt schema
    // (reads and writes together, as "writes").
    expect(size.apiCost.writesPerRegistry).toBeGreaterThan(0);
    if (result.apiCounting === "flowschemas")
      expect(size.apiCost.readsPerRegistry).toBeGreaterThan(0);
  });

  it("samples memory and sockets, idle writes, self-heal and admission latency", () => {
    const [size] = result.sizes;
    expect(size.process.rssMiB).toBeGreaterThan(0);
    expect(size.process.sockets).toBeGreaterThan(0);
    expect(typeof size.process.apiConnections).toBe("number");
    expect(typeof result.idle.writes).toBe("number");
    expect(typeof result.idle.rssGrowthMiB).toBe("number");
    expect(result.selfHeal.restored).toBe(3);
    expect(result.selfHeal.latencyMs.p99).toBeGreaterThan(0);
    expect(result.admission.errors).toBe(0);
    expect(result.admission.roundTripMs.p99).toBeGreaterThan(0);
    expect(result.admission.handlers.mutateMs.count).toBeGreaterThan(0);
    expect(result.admission.handlers.validateMs.p99).toBeGreaterThanOrEqual(0);
  });

  it("checks every target and writes a summary", () => {
    expect(result.targets).toHaveLength(10);
    for (const t of result.targets) expect(t.value).not.toBeNull();
    expect(markdown(result)).toContain("| figure | target | measured | verdict |");
  });
});
