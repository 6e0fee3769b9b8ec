// Redis as the blob-descriptor cache, proven with a real Redis: the registry runs (through the
// data-plane harness) from what the operator applied for a Registry with redis.external; its
// pushes and pulls leave the registry's blob-descriptor keys in Redis. With a wrong password the
// registry keeps serving from storage and logs Redis' refusal; with redis.required it reports
// itself unhealthy through its readiness probe until the password is right.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  apply,
  createSecret,
  eventually,
  getJson,
  kubectl,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { roundTrip } from "../support/dataplane/image-roundtrip";
import { clusterDeployment, planFromCluster } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import type { PodPlan } from "../support/dataplane/pod-plan";
import { runProbe } from "../support/dataplane/probes";
import { runRedisServer, type RedisServer } from "../support/dataplane/redis-server";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";

type Condition = { type: string; status: string; reason: string; message: string };

const KB = 1024;

describe.each(["registry:3.0.0", "registry:2.8.3"])("Redis blob-descriptor cache (%s)", image => {
  const ns = testNamespace("redis");
  const scratch = mkdtempSync("/var/tmp/registry-operator-redis-");
  let redis: RedisServer;
  const running: RunningPod[] = [];
  beforeAll(async () => {
    redis = await runRedisServer();
  });
  afterAll(async () => {
    for (const r of running) await r.stop();
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  });

  const plan = (name: string) => planFromCluster(ns.name, name);
  const redisCondition = (name: string, reason: string) =>
    eventually(
      () => {
        const reg = getJson<{ status?: { conditions?: Condition[] } }>([
          "-n",
          ns.name,
          "registry",
          name,
        ]);
        const c = reg.status?.conditions?.find(x => x.type === "RedisReady");
        return c?.reason === reason ? c : undefined;
      },
      20_000,
      `RedisReady ${reason}`,
    );

  async function start(
    name: string,
    password: string,
    opts: { required?: boolean; waitFor?: "liveness" } = {},
  ): Promise<{ plan: PodPlan; registry: RunningPod }> {
    createSecret(ns.name, `${name}-login`, { password });
    const r = apply(
      {
        apiVersion: "registry-operator.dev/v1alpha1",
        kind: "Registry",
        metadata: { name },
        spec: {
          image,
          storage: { emptyDir: {} },
          redis: {
            external: { addrs: [redis.addr], passwordSecretRef: { name: `${name}-login` } },
            ...(opts.required ? { required: true } : {}),
          },
        },
      },
      ns.name,
    );
    expect(r.code).toBe(0);
    const planned = await plan(name);
    const registry = await runPod(planned, { waitFor: opts.waitFor });
    running.push(registry);
    return { plan: planned, registry };
  }

  it("stores the registry's blob descriptors in Redis, with the password read from the Secret", async () => {
    redis.flush();
    const { plan, registry } = await start("cached", redis.password);
    const config = plan.mounts.find(m => m.volume === "config")!.source;
    expect(JSON.stringify(config)).not.toContain(redis.password);
    const layout = new OciLayout(join(scratch, "layout"));
    const root = layout.index(["amd64", "arm64"], [300, 40 * KB, 300 * KB]);
    const trip = await roundTrip(
      layout,
      root,
      registry.ref("team/app:v1"),
      scratch,
      registry.craneEnv,
    );
    expect(trip.digests).toEqual({ pushed: root.digest, served: root.digest, pulled: root.digest });
    const keys = redis.keys();
    expect(keys.filter(k => /^blobs::sha256:[0-9a-f]{64}$/.test(k)).length).toBeGreaterThanOrEqual(
      6,
    );
    expect(keys.some(k => k.startsWith("repository::team/app::blobs"))).toBe(true);
    const status = await eventually(() => {
      const reg = getJson<{
        status?: { conditions?: { type: string; status: string; reason: string }[] };
      }>(["-n", ns.name, "registry", "cached"]);
      return reg.status?.conditions?.find(c => c.type === "RedisReady" && c.status === "True");
    }, 20_000);
    expect(status).toMatchObject({ status: "True", reason: "External" });
    expect(status).toHaveProperty(
      "message",
      expect.stringContaining("accepts the registry's credentials"),
    );
  });

  it("keeps serving from storage with a wrong password, and says why in its log", async () => {
    redis.flush();
    const { plan, registry } = await start("wrongpass", "not-the-password");
    const layout = new OciLayout(join(scratch, "layout-2"));
    const root = layout.image([100, 20 * KB]);
    const trip = await roundTrip(
      layout,
      root,
      registry.ref("team/other:v1"),
      scratch,
      registry.craneEnv,
    );
    expect(trip.digests.pulled).toBe(root.digest);
    expect(redis.keys()).toEqual([]);
    expect(registry.output()).toMatch(/WRONGPASS|invalid password/);
    // registry 3.0 and 2.8 have no Redis health check: the readiness probe still passes...
    expect(await runProbe(registry, plan.readinessProbe!)).toMatchObject({ success: true });
    // ...so the operator asks Redis itself, and the status says what is wrong.
    const condition = await eventually(
      () => {
        const reg = getJson<{
          status?: {
            conditions?: { type: string; reason: string; status: string; message: string }[];
          };
        }>(["-n", ns.name, "registry", "wrongpass"]);
        const c = reg.status?.conditions?.find(x => x.type === "RedisReady");
        return c?.reason === "AuthFailed" ? c : undefined;
      },
      20_000,
      "RedisReady=False AuthFailed",
    );
    expect(condition.status).toBe("False");
    expect(condition.message).toContain(
      "refused the password from Secret wrongpass-login: WRONGPASS",
    );
    expect(condition.message).not.toContain("not-the-password");
    // Redis is optional here, so the Registry still becomes Ready once its pods are (a loaded
    // machine may take a while to mark them so).
    await eventually(
      () => {
        const reg = getJson<{ status: { conditions: { type: string; status: string }[] } }>([
          "-n",
          ns.name,
          "registry",
          "wrongpass",
        ]);
        return reg.status.conditions.find(c => c.type === "Ready")?.status === "True" || undefined;
      },
      30_000,
      "Ready=True while RedisReady=False",
    );
  });

  const gate = (name: string) =>
    plan(name).then(p => p.mounts.find(m => m.volume === "health-gate")!);
  const gateFiles = async (name: string) => {
    const g = await gate(name);
    return g.source.type === "files" ? g.source.files.map(f => f.path) : [];
  };
  const template = (name: string) =>
    JSON.stringify(clusterDeployment(ns.name, name)?.spec.template.metadata?.annotations);
  async function push(registry: RunningPod, repo: string) {
    const layout = new OciLayout(join(scratch, repo));
    const root = layout.image([100, 20 * KB]);
    const trip = await roundTrip(
      layout,
      root,
      registry.ref(`team/${repo}:v1`),
      scratch,
      registry.craneEnv,
    );
    expect(trip.digests.pulled).toBe(root.digest);
  }

  it("with redis.required, a wrong password holds the registry unhealthy through its readiness probe; the right one rolls the pods", async () => {
    redis.flush();
    const { plan: first, registry } = await start("held", "not-the-password", {
      required: true,
      waitFor: "liveness",
    });
    const failed = await redisCondition("held", "AuthFailed");
    expect(failed.message).toContain("reports itself unhealthy (503)");
    // The operator's finding reaches the pod through the gate ConfigMap.
    expect(await gateFiles("held")).toEqual(["redis-unavailable"]);
    registry.refreshVolume(await gate("held"));
    const probe = await eventually(async () => {
      const r = await runProbe(registry, first.readinessProbe!);
      return r.success ? undefined : r;
    }, 15_000);
    expect(probe.message).toContain(": 503");
    const health = await fetch(`${registry.url("debug")}/debug/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({
      "/etc/registry-health/redis-unavailable": "file exists",
    });
    expect((await registry.api("/v2/")).status).toBe(503);

    // A pod reads the password once, at start: fixing the Secret must bring new pods.
    const before = template("held");
    createSecret(ns.name, "held-login", { password: redis.password });
    await redisCondition("held", "External");
    await eventually(() => (template("held") !== before ? true : undefined), 20_000);
    await eventually(
      async () => ((await gateFiles("held")).length === 0 ? true : undefined),
      20_000,
    );
    await registry.stop();
    const rolled = await runPod(await plan("held"));
    running.push(rolled);
    await push(rolled, "held");
    expect(redis.keys().some(k => k.startsWith("repository::team/held::blobs"))).toBe(true);
  });

  it("with redis.required, waits for a Redis that went away and serves again when it is back, without a restart", async () => {
    const own = await runRedisServer();
    try {
      createSecret(ns.name, "outage-login", { password: own.password });
      const r = apply(
        {
          apiVersion: "registry-operator.dev/v1alpha1",
          kind: "Registry",
          metadata: { name: "outage" },
          spec: {
            image,
            storage: { emptyDir: {} },
            redis: {
              required: true,
              external: { addrs: [own.addr], passwordSecretRef: { name: "outage-login" } },
            },
          },
        },
        ns.name,
      );
      expect(r.code).toBe(0);
      await redisCondition("outage", "External");
      const planned = await plan("outage");
      const registry = await runPod(planned);
      running.push(registry);
      const ready = () => runProbe(registry, planned.readinessProbe!).then(p => p.success);
      const before = template("outage");

      await own.stop();
      expect((await redisCondition("outage", "Unreachable")).message).toContain(
        "reports itself unhealthy (503)",
      );
      registry.refreshVolume(await gate("outage")); // the kubelet's in-place refresh
      await eventually(async () => ((await ready()) ? undefined : true), 15_000);

      const back = await runRedisServer({ port: own.port, password: own.password });
      try {
        await redisCondition("outage", "External");
        await eventually(
          async () => ((await gateFiles("outage")).length === 0 ? true : undefined),
          20_000,
        );
        registry.refreshVolume(await gate("outage"));
        await eventually(async () => ((await ready()) ? true : undefined), 15_000);
        expect(template("outage")).toBe(before); // same pods throughout
        await push(registry, "outage");
        expect(back.keys().some(k => k.startsWith("repository::team/outage::blobs"))).toBe(true);

        // Not required any more: the gate and its volume go.
        expect(patchRegistrySpec(ns.name, "outage", { redis: { required: false } }).code).toBe(0);
        await eventually(
          () =>
            kubectl(["-n", ns.name, "get", "configmap", "outage-health"]).code !== 0 &&
            !JSON.stringify(clusterDeployment(ns.name, "outage")).includes("health-gate")
              ? true
              : undefined,
          20_000,
          "the health gate to be removed",
        );
      } finally {
        await back.stop();
      }
    } finally {
      await own.stop();
    }
  });
});
