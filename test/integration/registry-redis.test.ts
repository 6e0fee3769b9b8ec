// Redis as the blob-descriptor cache, proven with a real Redis: the registry runs (through the
// data-plane harness) from what the operator applied for a Registry with redis.external; its
// pushes and pulls leave the registry's blob-descriptor keys in Redis. With a wrong password the
// registry keeps serving from storage and logs Redis' refusal.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { apply, createSecret, eventually, getJson, testNamespace } from "../support/kubectl";
import { roundTrip } from "../support/dataplane/image-roundtrip";
import { clusterDeployment, clusterLookup } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import { planPod, type PodPlan } from "../support/dataplane/pod-plan";
import { runProbe } from "../support/dataplane/probes";
import { runRedisServer, type RedisServer } from "../support/dataplane/redis-server";
import { runRegistry, type RunningRegistry } from "../support/dataplane/registry-run";

const KB = 1024;

describe.each(["registry:3.0.0", "registry:2.8.3"])("Redis blob-descriptor cache (%s)", image => {
  const ns = testNamespace("redis");
  const scratch = mkdtempSync("/var/tmp/registry-operator-redis-");
  let redis: RedisServer;
  const running: RunningRegistry[] = [];
  beforeAll(async () => {
    redis = await runRedisServer();
  });
  afterAll(async () => {
    for (const r of running) await r.stop();
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  });

  async function start(
    name: string,
    password: string,
  ): Promise<{ plan: PodPlan; registry: RunningRegistry }> {
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
          },
        },
      },
      ns.name,
    );
    expect(r.code).toBe(0);
    const plan = await eventually(
      () => {
        const d = clusterDeployment(ns.name, name);
        return d ? planPod(d, clusterLookup(ns.name)) : undefined;
      },
      20_000,
      `the Deployment ${name}`,
    );
    const registry = await runRegistry(plan);
    running.push(registry);
    return { plan, registry };
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
      `127.0.0.1:${registry.port("http")}/team/app:v1`,
      scratch,
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
      `127.0.0.1:${registry.port("http")}/team/other:v1`,
      scratch,
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
    const ready = getJson<{ status: { conditions: { type: string; status: string }[] } }>([
      "-n",
      ns.name,
      "registry",
      "wrongpass",
    ]);
    expect(ready.status.conditions.find(c => c.type === "Ready")?.status).toBe("True");
  });
});
