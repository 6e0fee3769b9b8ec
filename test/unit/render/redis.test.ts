import { parse } from "yaml";
import { resolveRegistry } from "../../../lib/admission/resolve";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import { renderRegistry } from "../../../lib/render/registry";
import { redisProblems } from "../../../lib/admission/rules/redis";

const render = (spec: object) =>
  renderRegistry({
    name: "reg",
    namespace: "ns",
    uid: "uid-1",
    spec: resolveRegistry({ incoming: { spec } }).spec as RegistrySpec,
  });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const find = (r: ReturnType<typeof render>, kind: string, name: string): any =>
  r.objects.find(o => o.kind === kind && o.metadata.name === name);
const env = (r: ReturnType<typeof render>) =>
  find(r, "Deployment", "reg").spec.template.spec.containers[0].env;
const external = { addrs: ["redis.data.svc:6379"], passwordSecretRef: { name: "redis-login" } };

describe("Redis in the registry config", () => {
  it("v3: addrs, the redis blob-descriptor cache, and the password through REGISTRY_REDIS_OPTIONS_PASSWORD", () => {
    const r = render({ redis: { external: { ...external, db: 2 } } });
    const config = parse(r.configYaml);
    expect(config.redis).toEqual({ addrs: ["redis.data.svc:6379"], db: 2 });
    expect(config.storage.cache).toEqual({ blobdescriptor: "redis" });
    expect(env(r)).toContainEqual({
      name: "REGISTRY_REDIS_OPTIONS_PASSWORD",
      valueFrom: { secretKeyRef: { name: "redis-login", key: "password" } },
    });
    expect(r.configYaml).not.toContain("password");
  });

  it("v2: one addr and REGISTRY_REDIS_PASSWORD", () => {
    const r = render({ image: "registry:2.8.3", redis: { external } });
    expect(parse(r.configYaml).redis).toEqual({ addr: "redis.data.svc:6379", db: 0 });
    expect(env(r)).toContainEqual({
      name: "REGISTRY_REDIS_PASSWORD",
      valueFrom: { secretKeyRef: { name: "redis-login", key: "password" } },
    });
  });

  it("v3 Sentinel: the Sentinels' addresses and the master name", () => {
    const r = render({
      redis: { external: { addrs: ["s1:26379", "s2:26379"], masterName: "cache" } },
    });
    expect(parse(r.configYaml).redis).toEqual({
      addrs: ["s1:26379", "s2:26379"],
      db: 0,
      mastername: "cache",
    });
  });

  it("keeps the in-memory cache without Redis", () => {
    expect(parse(render({}).configYaml).storage.cache).toEqual({ blobdescriptor: "inmemory" });
  });
});

describe("managed Redis", () => {
  const r = render({ redis: { managed: {} } });
  const sts = find(r, "StatefulSet", "reg-redis");

  it("points the registry at its client Service with the generated password", () => {
    expect(parse(r.configYaml).redis).toEqual({ addrs: ["reg-redis:6379"], db: 0 });
    expect(env(r)).toContainEqual({
      name: "REGISTRY_REDIS_OPTIONS_PASSWORD",
      valueFrom: { secretKeyRef: { name: "reg-redis", key: "password" } },
    });
  });

  it("runs a pinned Valkey with allkeys-lru, a maxmemory below its limit and a password by reference", () => {
    const c = sts.spec.template.spec.containers[0];
    expect(c.image).toBe("valkey/valkey:8.1.1");
    expect(c.args).toEqual(
      expect.arrayContaining([
        "--maxmemory-policy",
        "allkeys-lru",
        "--requirepass",
        "$(REDIS_PASSWORD)",
      ]),
    );
    expect(c.args[c.args.indexOf("--maxmemory") + 1]).toBe(String(256 * 2 ** 20 * 0.75));
    expect(JSON.stringify(sts)).not.toMatch(/[0-9a-f]{64}/);
  });

  it("meets restricted Pod Security and owns its children", () => {
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    for (const o of [
      sts,
      find(r, "Service", "reg-redis"),
      find(r, "Service", "reg-redis-headless"),
    ])
      expect(o.metadata.ownerReferences[0]).toMatchObject({ kind: "Registry", name: "reg" });
    expect(find(r, "Service", "reg-redis-headless").spec.clusterIP).toBe("None");
    expect(find(r, "Service", "reg").spec.selector["app.kubernetes.io/name"]).toBe("registry");
    expect(sts.spec.selector.matchLabels["app.kubernetes.io/name"]).toBe("redis");
  });

  it("keeps its data on a claim when persistence is asked for", () => {
    const p = find(
      render({ redis: { managed: { persistence: { size: "2Gi" } } } }),
      "StatefulSet",
      "reg-redis",
    );
    expect(p.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("2Gi");
    expect(p.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining(["--appendonly", "yes"]),
    );
  });
});

describe("redisProblems", () => {
  it.each([
    [
      { redis: { managed: { replicas: 3 } } },
      "spec.redis.managed.replicas: a replicated managed Redis",
    ],
    [
      { image: "registry:2", redis: { external: { addrs: ["a:1", "b:2"] } } },
      "spec.redis.external: registry 2.x images connect to a single Redis address",
    ],
    [
      { image: "registry:2.8.3", redis: { external: { addrs: ["a:1"], masterName: "m" } } },
      "spec.redis.external: registry 2.x images connect to a single Redis address",
    ],
  ])("refuses %j", (spec, message) => {
    expect(redisProblems(spec as RegistrySpec)[0]).toContain(message);
  });

  it("accepts a v3 Cluster and a single managed Redis", () => {
    expect(
      redisProblems({ redis: { external: { addrs: ["a:1", "b:2"] } } } as RegistrySpec),
    ).toEqual([]);
    expect(redisProblems({ redis: { managed: { replicas: 1 } } } as RegistrySpec)).toEqual([]);
  });
});
