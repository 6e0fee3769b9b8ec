import { parse } from "yaml";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import { redisProblems, redisWarnings } from "../../../lib/admission/rules/redis";
import { registryAtLeast } from "../../../lib/api/version";
import { renderResolvedRegistry } from "../../support/render";

const render = (spec: object, unusable?: { redis?: string }) =>
  renderResolvedRegistry(spec, { unusable });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const find = (r: ReturnType<typeof render>, kind: string, name: string): any =>
  r.objects.find(o => o.kind === kind && o.metadata.name === name);
const pod = (r: ReturnType<typeof render>) => find(r, "Deployment", "reg").spec.template.spec;
const env = (r: ReturnType<typeof render>) => pod(r).containers[0].env;
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

describe("TLS to Redis (registry 3.1)", () => {
  const tls = (t: object) => ({
    image: "registry:3.1.2",
    redis: { external: { ...external, tls: t } },
  });

  it("verifies the server against a CA from a Secret, mounted read-only", () => {
    const r = render(tls({ caSecretRef: { name: "redis-ca", key: "bundle.pem" } }));
    expect(parse(r.configYaml).redis.tls).toEqual({ rootcas: ["/etc/redis-tls/ca.crt"] });
    expect(pod(r).volumes).toContainEqual({
      name: "redis-ca",
      secret: { secretName: "redis-ca", items: [{ key: "bundle.pem", path: "ca.crt" }] },
    });
    expect(pod(r).containers[0].volumeMounts).toContainEqual({
      name: "redis-ca",
      mountPath: "/etc/redis-tls",
      readOnly: true,
    });
  });

  it("takes the CA from a ConfigMap (key default ca.crt)", () => {
    const r = render(tls({ caConfigMapRef: { name: "cas" } }));
    expect(pod(r).volumes).toContainEqual({
      name: "redis-ca",
      configMap: { name: "cas", items: [{ key: "ca.crt", path: "ca.crt" }] },
    });
  });

  it("names the image's system roots without a CA, since 3.1 needs a file to turn TLS on", () => {
    const r = render(tls({}));
    expect(parse(r.configYaml).redis.tls).toEqual({
      rootcas: ["/etc/ssl/certs/ca-certificates.crt"],
    });
    expect(pod(r).volumes.map((v: { name: string }) => v.name)).not.toContain("redis-ca");
  });

  it("renders no TLS when it is switched off", () => {
    expect(parse(render(tls({ enabled: false })).configYaml).redis.tls).toBeUndefined();
  });
});

describe("required Redis: the health gate", () => {
  const spec = { redis: { external, required: true } };

  it("adds a file health check on a mounted ConfigMap, open while Redis is usable", () => {
    const r = render(spec);
    expect(parse(r.configYaml).health).toEqual({
      storagedriver: { enabled: true, interval: "10s", threshold: 3 },
      file: [{ file: "/etc/registry-health/redis-unavailable", interval: "5s" }],
    });
    expect(find(r, "ConfigMap", "reg-health").data).toEqual({});
    expect(pod(r).volumes).toContainEqual({
      name: "health-gate",
      configMap: { name: "reg-health", optional: true },
    });
    expect(pod(r).containers[0].volumeMounts).toContainEqual({
      name: "health-gate",
      mountPath: "/etc/registry-health",
      readOnly: true,
    });
  });

  it("writes the operator's finding into the gate file while Redis is unusable, without rolling the pods", () => {
    const open = render(spec);
    const closed = render(spec, { redis: "WRONGPASS" });
    expect(find(closed, "ConfigMap", "reg-health").data).toEqual({
      "redis-unavailable": "WRONGPASS",
    });
    expect(find(closed, "Deployment", "reg")).toEqual(find(open, "Deployment", "reg"));
  });

  it("is absent unless required, whatever the operator found", () => {
    const r = render({ redis: { external } }, { redis: "WRONGPASS" });
    expect(find(r, "ConfigMap", "reg-health")).toBeUndefined();
    expect(parse(r.configYaml).health.file).toBeUndefined();
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
    expect(c.image).toBe("docker.io/valkey/valkey:8.1.1");
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

  it.each([
    ["registry:2.8.3", "registry 2.x images have no TLS to Redis"],
    ["registry:3.0.0", "registry 3.0 cannot verify a Redis server against a CA"],
    ["registry:3.0", "registry 3.0 cannot verify a Redis server against a CA"],
  ])("refuses Redis TLS on %s", (image, message) => {
    const spec = { image, redis: { external: { addrs: ["a:1"], tls: {} } } } as RegistrySpec;
    expect(redisProblems(spec)).toEqual([expect.stringContaining(message)]);
  });

  it.each(["registry:3.1.2", "registry:3", "registry:latest", "registry@sha256:" + "a".repeat(64)])(
    "accepts Redis TLS on %s",
    image => {
      const spec = { image, redis: { external: { addrs: ["a:1"], tls: {} } } } as RegistrySpec;
      expect(redisProblems(spec)).toEqual([]);
    },
  );

  it("refuses two CA sources", () => {
    const spec = {
      image: "registry:3.1.2",
      redis: {
        external: {
          addrs: ["a:1"],
          tls: { caSecretRef: { name: "a" }, caConfigMapRef: { name: "b" } },
        },
      },
    } as RegistrySpec;
    expect(redisProblems(spec)).toEqual([
      expect.stringContaining("set caSecretRef or caConfigMapRef, not both"),
    ]);
  });

  it("accepts a v3 Cluster and a single managed Redis", () => {
    expect(
      redisProblems({ redis: { external: { addrs: ["a:1", "b:2"] } } } as RegistrySpec),
    ).toEqual([]);
    expect(redisProblems({ redis: { managed: { replicas: 1 } } } as RegistrySpec)).toEqual([]);
  });
});

describe("redisWarnings", () => {
  it("says required has no effect for Sentinel or Cluster addresses", () => {
    const spec = {
      image: "registry:3.0.0",
      redis: { required: true, external: { addrs: ["s:26379"], masterName: "m" } },
    } as RegistrySpec;
    expect(redisWarnings(spec)).toEqual([
      expect.stringContaining("does not check Sentinel or Cluster addresses"),
    ]);
  });
});

describe("registryAtLeast", () => {
  it.each([
    ["registry:3.1.2", true],
    ["registry:3.1", true],
    ["registry:3.2.0", true],
    ["registry:4", true],
    ["registry:3", true],
    ["registry:latest", true],
    ["registry:3.0.1", false],
    ["registry:v3.0.0", false],
    ["registry:2.8.3", false],
    ["registry:2", false],
  ])("%s is at least 3.1: %s", (image, expected) => {
    expect(registryAtLeast(image, 3, 1)).toBe(expected);
  });
});
