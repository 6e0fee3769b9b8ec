import { parse } from "yaml";
import { resolveCache } from "../../../lib/admission/validate-cache";
import type { CacheSpec } from "../../../lib/api/cache-spec";
import { cacheSizeLimit } from "../../../lib/render/cache";
import { renderCacheOf } from "../../support/render";

const render = (spec: object, unusable?: { redis?: string }) =>
  renderCacheOf({
    name: "mirror",
    namespace: "ns",
    uid: "uid-1",
    spec: resolveCache(spec) as CacheSpec,
    unusable,
  });
const configOf = (r: ReturnType<typeof render>) =>
  parse(r.configYaml) as Record<string, Record<string, unknown>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const deployment = (r: ReturnType<typeof render>): any =>
  r.objects.find(o => o.kind === "Deployment");

describe("renderCache", () => {
  it("holds a cache with a required Redis behind its own health gate", () => {
    const r = render(
      {
        upstreamRegistryURL: "https://quay.io",
        redis: { required: true, external: { addrs: ["r:6379"] } },
      },
      { redis: "refused" },
    );
    const gate = r.objects.find(o => o.kind === "ConfigMap")!;
    expect(gate.metadata).toMatchObject({
      name: "mirror-health",
      labels: { "registry-operator.dev/cache": "mirror" },
      ownerReferences: [expect.objectContaining({ kind: "Cache", name: "mirror" })],
    });
    expect(gate.data).toEqual({ "redis-unavailable": "refused" });
    expect((configOf(r).health as { file: unknown[] }).file).toHaveLength(1);
  });

  it("renders a v3 proxy with the default TTL, an emptyDir and Cache ownership", () => {
    const r = render({ upstreamRegistryURL: "https://quay.io/" });
    expect(configOf(r).proxy).toEqual({ remoteurl: "https://quay.io", ttl: "168h" });
    const d = deployment(r);
    expect(d.metadata.labels).toMatchObject({
      "app.kubernetes.io/name": "registry-cache",
      "registry-operator.dev/cache": "mirror",
    });
    expect(d.metadata.labels["registry-operator.dev/registry"]).toBeUndefined();
    expect(d.metadata.ownerReferences[0]).toMatchObject({
      kind: "Cache",
      name: "mirror",
      controller: true,
    });
    expect(
      d.spec.template.spec.volumes.find((v: { name: string }) => v.name === "data").emptyDir,
    ).toEqual({
      sizeLimit: "10Gi",
    });
    expect(r.objects.map(o => o.kind)).toEqual([
      "Secret",
      "Deployment",
      "Service",
      "NetworkPolicy",
    ]);
  });

  it("leaves the TTL out for registry 2 images, which have no such setting", () => {
    const r = render({
      upstreamRegistryURL: "https://quay.io",
      image: "registry:2.8.3",
      cacheTTL: "24h",
    });
    expect(r.format).toBe("v2");
    expect(configOf(r).proxy).toEqual({ remoteurl: "https://quay.io" });
  });

  it("reads upstream credentials from the Secret through env, never into the config", () => {
    const r = render({
      upstreamRegistryURL: "https://quay.io",
      credentialsSecretRef: { name: "login", passwordKey: "token" },
    });
    expect(r.configYaml).not.toMatch(/username|password/);
    expect(deployment(r).spec.template.spec.containers[0].env).toEqual(
      expect.arrayContaining([
        {
          name: "REGISTRY_PROXY_USERNAME",
          valueFrom: { secretKeyRef: { name: "login", key: "username" } },
        },
        {
          name: "REGISTRY_PROXY_PASSWORD",
          valueFrom: { secretKeyRef: { name: "login", key: "token" } },
        },
      ]),
    );
  });

  it("can keep its blob descriptors in a managed Redis it owns", () => {
    const r = render({ upstreamRegistryURL: "https://quay.io", redis: { managed: {} } });
    expect(configOf(r).redis).toEqual({ addrs: ["mirror-redis:6379"], db: 0 });
    expect(configOf(r).storage.cache).toEqual({ blobdescriptor: "redis" });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const sts: any = r.objects.find(o => o.kind === "StatefulSet");
    expect(sts.metadata.ownerReferences[0]).toMatchObject({ kind: "Cache", name: "mirror" });
    expect(sts.metadata.labels["registry-operator.dev/cache"]).toBe("mirror");
  });

  it.each([
    [{}, "10Gi"],
    [{ volume: { type: "emptyDir", size: "50Gi" } }, "50Gi"],
    [{ maxCacheSize: "20Gi" }, "20Gi"],
    [{ maxCacheSize: "100Gi", volume: { type: "emptyDir", size: "50Gi" } }, "50Gi"],
    [{ maxCacheSize: "30Gi", volume: { type: "emptyDir", size: "50Gi" } }, "30Gi"],
  ])("bounds the cache by the smaller size: %j → %s", (spec, limit) => {
    expect(cacheSizeLimit({ upstreamRegistryURL: "https://quay.io", ...spec } as CacheSpec)).toBe(
      limit,
    );
  });
});
