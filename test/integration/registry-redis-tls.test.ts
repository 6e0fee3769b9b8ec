// Redis over TLS, proven with a real TLS-only Redis and registry 3.1 (the first with
// redis.tls.rootcas): the CA comes from a Secret or a ConfigMap the Registry names, the registry
// run from the operator's objects verifies the server with it, and the operator's own check
// speaks TLS too. Also guards that registry 3.1's /debug/vars publishes no secret of ours.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { roundTrip } from "../support/dataplane/image-roundtrip";
import { planFromCluster } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import { runRedisServer, type RedisServer } from "../support/dataplane/redis-server";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import { testCa } from "../support/dataplane/test-ca";
import { apply, createSecret, eventually, getJson, testNamespace } from "../support/kubectl";

type Condition = { type: string; status: string; reason: string; message: string };
const KB = 1024;
const IMAGE = "registry:3.1.2";

describe("Redis over TLS (registry 3.1)", () => {
  const ns = testNamespace("redis-tls");
  const scratch = mkdtempSync("/var/tmp/registry-operator-redis-tls-");
  const ca = testCa("redis-test-ca");
  const stranger = testCa("some-other-ca");
  let redis: RedisServer;
  const running: RunningPod[] = [];
  beforeAll(async () => {
    redis = await runRedisServer({ tlsFrom: ca });
    createSecret(ns.name, "redis-login", { password: redis.password });
  });
  afterAll(async () => {
    for (const r of running) await r.stop();
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
    ca.remove();
    stranger.remove();
    ns.remove();
  });

  function registry(name: string, tls: object) {
    return apply(
      {
        apiVersion: "registry-operator.dev/v1alpha1",
        kind: "Registry",
        metadata: { name },
        spec: {
          image: IMAGE,
          storage: { emptyDir: {} },
          redis: {
            external: {
              addrs: [redis.addr],
              passwordSecretRef: { name: "redis-login" },
              tls,
            },
          },
        },
      },
      ns.name,
    );
  }
  async function run(name: string): Promise<RunningPod> {
    const r = await runPod(await planFromCluster(ns.name, name));
    running.push(r);
    return r;
  }
  const redisReady = (name: string) =>
    eventually(
      () =>
        getJson<{ status?: { conditions?: Condition[] } }>([
          "-n",
          ns.name,
          "registry",
          name,
        ]).status?.conditions?.find(c => c.type === "RedisReady"),
      20_000,
    );

  it("verifies the server with a CA from a Secret and keeps blob descriptors in Redis", async () => {
    redis.flush();
    createSecret(ns.name, "redis-ca", { "ca.crt": ca.cert });
    const r = registry("secret-ca", { caSecretRef: { name: "redis-ca" } });
    expect(r.code).toBe(0);
    const server = await run("secret-ca");
    const layout = new OciLayout(join(scratch, "layout"));
    const root = layout.image([300, 40 * KB]);
    const trip = await roundTrip(layout, root, server.ref("t/a:v1"), scratch, server.craneEnv);
    expect(trip.digests.pulled).toBe(root.digest);
    expect(redis.keys().filter(k => k.startsWith("blobs::sha256:")).length).toBeGreaterThanOrEqual(
      3,
    );
    const c = await eventually(async () => {
      const x = await redisReady("secret-ca");
      return x?.status === "True" ? x : undefined;
    }, 20_000);
    expect(c.message).toContain("accepts the registry's credentials");
    // With Redis set, 3.1 publishes its parsed configuration (env overrides included) at
    // /debug/vars, unless encoding it fails; the rendered config makes it fail (see config.ts).
    const vars = await (await fetch(`${server.url("debug")}/debug/vars`)).text();
    expect(vars).toContain('"redis": }');
    expect(vars).not.toContain(redis.password);
    expect(vars).not.toContain("rootcas");
  });

  it("takes the CA from a ConfigMap; a CA that did not sign the server is TLSFailed, and the registry serves from storage", async () => {
    redis.flush();
    expect(
      apply(
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "wrong-ca" },
          data: { "bundle.pem": stranger.cert },
        },
        ns.name,
      ).code,
    ).toBe(0);
    expect(
      registry("wrong-ca", { caConfigMapRef: { name: "wrong-ca", key: "bundle.pem" } }).code,
    ).toBe(0);
    const server = await run("wrong-ca");
    const layout = new OciLayout(join(scratch, "layout-2"));
    const root = layout.image([100, 20 * KB]);
    const trip = await roundTrip(layout, root, server.ref("t/b:v1"), scratch, server.craneEnv);
    expect(trip.digests.pulled).toBe(root.digest);
    expect(redis.keys()).toEqual([]);
    expect(server.output()).toMatch(/certificate signed by unknown authority/);
    const c = await eventually(async () => {
      const x = await redisReady("wrong-ca");
      return x?.reason === "TLSFailed" ? x : undefined;
    }, 20_000);
    expect(c.status).toBe("False");
    expect(c.message).toContain(`no TLS connection to the external Redis at ${redis.addr}: `);
  });

  it("is refused for registry 3.0, which cannot verify a server against a CA", () => {
    const r = apply(
      {
        apiVersion: "registry-operator.dev/v1alpha1",
        kind: "Registry",
        metadata: { name: "old" },
        spec: {
          image: "registry:3.0.0",
          redis: { external: { addrs: [redis.addr], tls: { caSecretRef: { name: "redis-ca" } } } },
        },
      },
      ns.name,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("spec.redis.external.tls: registry 3.0 cannot verify");
  });
});
