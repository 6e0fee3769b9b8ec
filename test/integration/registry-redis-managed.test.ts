// A Registry with redis.managed: the operator creates the Redis children (StatefulSet, client and
// headless Services, a generated password Secret), points the registry's config at them, and
// reports RedisReady. Deleting the Registry takes the cache with it (it is only a cache).
import { parse } from "yaml";
import { spawnSync } from "node:child_process";
import { apply, eventually, getJson, kubectl, testNamespace } from "../support/kubectl";
import { clusterGet, clusterLookup } from "../support/dataplane/lookup";
import { planPod, type DeploymentLike } from "../support/dataplane/pod-plan";
import { runPod } from "../support/dataplane/pod-run";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

describe("managed Redis", () => {
  const ns = testNamespace("redis-managed");
  afterAll(() => ns.remove());
  const get = (...args: string[]): Loose => getJson(["-n", ns.name, ...args]);
  const exists = (...args: string[]) => kubectl(["-n", ns.name, "get", ...args]).code === 0;

  it("creates the Redis children and a config that points at them", async () => {
    const r = apply(
      {
        apiVersion: "registry-operator.dev/v1alpha1",
        kind: "Registry",
        metadata: { name: "fast" },
        spec: { replicas: 2, storage: { emptyDir: {} }, redis: { managed: {} } },
      },
      ns.name,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("not acted on");
    await eventually(
      () => (exists("statefulset", "fast-redis") ? true : undefined),
      20_000,
      "the StatefulSet",
    );
    const sts = get("statefulset", "fast-redis");
    expect(sts.spec.serviceName).toBe("fast-redis-headless");
    expect(sts.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining(["--maxmemory-policy", "allkeys-lru"]),
    );
    expect(get("service", "fast-redis").spec.ports[0].port).toBe(6379);
    expect(get("service", "fast-redis-headless").spec.clusterIP).toBe("None");
    const secret = get("secret", "fast-redis");
    expect(Buffer.from(secret.data.password, "base64").toString()).toMatch(/^[0-9a-f]{64}$/);
    const config = parse(
      Buffer.from(get("secret", "fast-config").data["config.yml"], "base64").toString(),
    );
    expect(config.redis).toEqual({ addrs: ["fast-redis:6379"], db: 0 });
    expect(config.storage.cache.blobdescriptor).toBe("redis");
    const ready = await eventually(
      () => {
        const c = (get("registry", "fast").status?.conditions ?? []).find(
          (x: Loose) => x.type === "RedisReady",
        );
        return c?.status === "True" ? c : undefined;
      },
      30_000,
      "RedisReady=True",
    );
    expect(ready.reason).toBe("ManagedReady");
  });

  it("runs the managed Redis pod as rendered: non-root, read-only root, the generated password, allkeys-lru", async () => {
    const plan = planPod(
      clusterGet<DeploymentLike>(ns.name, "StatefulSet", "fast-redis")!,
      clusterLookup(ns.name),
    );
    expect(plan.security).toMatchObject({
      runAsUser: 999,
      readOnlyRootFilesystem: true,
      dropAllCapabilities: true,
    });
    const redis = await runPod(plan);
    try {
      const cli = (...args: string[]) =>
        spawnSync("redis-cli", ["-p", String(redis.port("redis")), "--no-auth-warning", ...args], {
          encoding: "utf8",
        }).stdout.trim();
      expect(cli("ping")).toContain("NOAUTH");
      const password = Buffer.from(get("secret", "fast-redis").data.password, "base64").toString();
      expect(cli("-a", password, "ping")).toBe("PONG");
      expect(cli("-a", password, "config", "get", "maxmemory-policy")).toBe(
        "maxmemory-policy\nallkeys-lru",
      );
      expect(cli("-a", password, "set", "k", "v")).toBe("OK");
    } finally {
      await redis.stop();
    }
  });

  it("keeps the generated password across reconciles", async () => {
    const before = get("secret", "fast-redis").data.password;
    kubectl(["-n", ns.name, "annotate", "registry", "fast", "touch=1", "--overwrite"]);
    kubectl(["-n", ns.name, "delete", "statefulset", "fast-redis"]);
    await eventually(
      () => (exists("statefulset", "fast-redis") ? true : undefined),
      20_000,
      "the StatefulSet back",
    );
    expect(get("secret", "fast-redis").data.password).toBe(before);
  });

  it("removes the managed Redis when the Registry stops asking for it", async () => {
    const r = kubectl([
      "-n",
      ns.name,
      "patch",
      "registry",
      "fast",
      "--type=json",
      "-p",
      '[{"op":"remove","path":"/spec/redis"}]',
    ]);
    expect(r.code).toBe(0);
    await eventually(
      () => (exists("statefulset", "fast-redis") ? undefined : true),
      20_000,
      "the StatefulSet pruned",
    );
    expect(exists("service", "fast-redis")).toBe(false);
    await eventually(
      () => (exists("secret", "fast-redis") ? undefined : true),
      20_000,
      "the generated password Secret deleted",
    );
    const config = parse(
      Buffer.from(get("secret", "fast-config").data["config.yml"], "base64").toString(),
    );
    expect(config.redis).toBeUndefined();
    expect(config.storage.cache.blobdescriptor).toBe("inmemory");
  });
});
