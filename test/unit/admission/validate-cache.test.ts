import { DEFAULT_REGISTRY_IMAGE } from "../../../lib/api/defaults";
import { resolveCache, validateCache } from "../../../lib/admission/validate-cache";

const check = (spec: object, name = "mirror") =>
  validateCache({ metadata: { name }, spec: resolveCache(spec) });

describe("validateCache", () => {
  it("accepts the primary design's Cache, warning that maxCacheSize exceeds the volume", () => {
    const v = check({
      upstreamRegistryURL: "https://my-upstream-registry.com",
      volume: { type: "emptyDir", size: "50Gi", accessMode: "ReadWriteOnce" },
      cacheTTL: "24h",
      maxCacheSize: "100Gi",
    });
    expect(v.allowed).toBe(true);
    expect(v.warnings).toEqual([
      "spec.maxCacheSize: 100Gi exceeds spec.volume.size 50Gi; the cache is limited to 50Gi",
    ]);
  });

  it("names the field and the reason for a bad upstream", () => {
    expect(check({ upstreamRegistryURL: "https://u:p@quay.io" }).problems[0]).toMatch(
      /^spec\.upstreamRegistryURL: must not contain user-info/,
    );
  });

  it("refuses what the CRD schema refuses across fields, with the same words", () => {
    const base = { upstreamRegistryURL: "https://quay.io" };
    expect(check({ ...base, redis: { required: true } }).problems).toContain(
      "spec.redis: set one of managed, external",
    );
    expect(check({ ...base, service: { nodePort: 30080 } }).problems).toContain(
      "spec.service.nodePort: needs type NodePort or LoadBalancer, not ClusterIP",
    );
  });

  it("refuses names its Service cannot carry", () => {
    expect(check({ upstreamRegistryURL: "https://quay.io" }, "9cache").problems[0]).toMatch(
      /^metadata\.name:/,
    );
  });

  it("resolves defaults without overriding what the user set", () => {
    expect(
      resolveCache({ upstreamRegistryURL: "https://quay.io", cacheTTL: "1h", replicas: 2 }),
    ).toMatchObject({
      cacheTTL: "1h",
      replicas: 2,
      image: DEFAULT_REGISTRY_IMAGE,
      volume: { type: "emptyDir" },
    });
  });

  it.each([["0"], ["1h30m"], ["90m"], ["2.5h"]])("accepts cacheTTL %s", ttl => {
    expect(check({ upstreamRegistryURL: "https://quay.io", cacheTTL: ttl }).allowed).toBe(true);
  });

  it.each([["1d"], ["forever"], ["-1h"], [""]])("refuses cacheTTL %j", ttl => {
    expect(check({ upstreamRegistryURL: "https://quay.io", cacheTTL: ttl }).problems[0]).toMatch(
      /^spec\.cacheTTL:/,
    );
  });
});

describe("Cache updates", () => {
  it("refuses a changed service.clusterIP, naming the field", () => {
    const spec = (clusterIP: string) =>
      resolveCache({ upstreamRegistryURL: "https://quay.io", service: { clusterIP } });
    const v = validateCache({ metadata: { name: "c" }, spec: spec("10.0.0.2") }, true, {
      spec: spec("10.0.0.1"),
    });
    expect(v.problems).toEqual([
      expect.stringMatching(
        /^spec\.service\.clusterIP: cannot change from 10\.0\.0\.1 to 10\.0\.0\.2/,
      ),
    ]);
  });
});
