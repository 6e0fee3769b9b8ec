import { DEFAULT_REGISTRY_IMAGE } from "../../lib/api/defaults";
// Cache admission through the real API server: every upstream URL of the shared table is refused
// with a message naming spec.upstreamRegistryURL and the reason (from the CRD schema's rules or our
// webhook); valid ones are stored, http:// with a warning. Server-side dry runs: admission runs in
// full, nothing is stored.
import { kubectl, testNamespace } from "../support/kubectl";
import { refusesWith } from "../support/refusal";
import { BAD_UPSTREAM_URLS, GOOD_UPSTREAM_URLS } from "../support/upstream-urls";

const cache = (name: string, spec: object) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "Cache",
  metadata: { name },
  spec,
});

describe("Cache admission", () => {
  const ns = testNamespace("cache-admission");
  afterAll(() => ns.remove());
  const dryRun = (obj: object) =>
    kubectl(["-n", ns.name, "create", "--dry-run=server", "-f", "-"], JSON.stringify(obj));

  it.each(BAD_UPSTREAM_URLS)("refuses upstream %j: %s", (url, reason) => {
    const r = dryRun(cache("c", { upstreamRegistryURL: url }));
    expect(r.code).not.toBe(0);
    expect(refusesWith(r.stderr, `spec.upstreamRegistryURL: ${reason}`)).toBe(true);
  });

  it.each(GOOD_UPSTREAM_URLS)("accepts upstream %j (warning: %s)", (url, warns) => {
    const r = dryRun(cache("c", { upstreamRegistryURL: url }));
    expect([r.code, r.stderr.replace(/^Warning: .*\n?/gm, "")]).toEqual([0, ""]);
    expect(r.stderr.includes("Warning: spec.upstreamRegistryURL: uses http://")).toBe(warns);
  });

  it.each([
    [{ volume: { type: "hostPath" } }, 'spec.volume.type: only "emptyDir" is supported'],
    [
      { volume: { type: "emptyDir", size: "lots" } },
      "spec.volume.size: must be a non-negative quantity",
    ],
    [{ cacheTTL: "forever" }, 'spec.cacheTTL: must be a duration such as "24h"'],
    [{ maxCacheSize: "-1Gi" }, "spec.maxCacheSize: must be a non-negative quantity"],
    [{ credentialsSecretRef: { name: "Not_A_Name" } }, "spec.credentialsSecretRef.name:"],
    [{ replicas: 101 }, "spec.replicas: spec.replicas in body should be less than or equal to 100"],
    [{ upstream: "https://quay.io" }, 'unknown field "spec.upstream"'],
    [
      { redis: { managed: { replicas: 3 } } },
      "spec.redis.managed.replicas: a replicated managed Redis",
    ],
  ])("refuses %j", (spec, message) => {
    const r = dryRun(cache("c", { upstreamRegistryURL: "https://quay.io", ...spec }));
    expect(r.code).not.toBe(0);
    expect(refusesWith(r.stderr, message)).toBe(true);
  });

  it("refuses a Cache without an upstream", () => {
    const r = dryRun(cache("c", {}));
    expect(r.stderr).toContain("spec.upstreamRegistryURL:");
  });

  it("stores defaults: one replica, emptyDir, the registry's own 168h TTL", () => {
    const r = kubectl(
      ["-n", ns.name, "create", "--dry-run=server", "-o", "json", "-f", "-"],
      JSON.stringify(cache("c", { upstreamRegistryURL: "https://quay.io" })),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).spec).toMatchObject({
      upstreamRegistryURL: "https://quay.io",
      replicas: 1,
      image: DEFAULT_REGISTRY_IMAGE,
      volume: { type: "emptyDir" },
      cacheTTL: "168h",
      service: { type: "ClusterIP", port: 5000 },
    });
  });

  it("warns that registry 2 images send upstream credentials to token-auth upstreams only", () => {
    const r = dryRun(
      cache("c", {
        upstreamRegistryURL: "https://quay.io",
        image: "registry:2",
        credentialsSecretRef: { name: "login" },
      }),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "Warning: spec.credentialsSecretRef: registry 2.x images send these credentials only to upstreams with token authentication",
    );
  });

  it("warns when a registry 2 image cannot honour cacheTTL", () => {
    const r = dryRun(
      cache("c", {
        upstreamRegistryURL: "https://quay.io",
        image: "registry:2.8.3",
        cacheTTL: "24h",
      }),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Warning: spec.cacheTTL: 24h is ignored by registry 2.x images");
  });
});
