import { resolveRegistry } from "../../../lib/admission/resolve";
import { resolveCache, validateCache } from "../../../lib/admission/validate-cache";
import type { CacheSpec } from "../../../lib/api/cache-spec";
import { validateRegistry } from "../../../lib/admission/validate-registry";
import type { UidMode } from "../../../lib/api/fields/pod-security";
import type { KubeObject } from "../../../lib/kubernetes/objects";
import { renderCacheOf, renderResolvedRegistry } from "../../support/render";

type Pod = { securityContext: Record<string, unknown>; containers: { securityContext: object }[] };
const pods = (uid?: UidMode) => {
  const spec = { redis: { managed: {} }, ...(uid ? { podSecurity: { uid } } : {}) };
  const { objects } = renderResolvedRegistry(spec);
  const pod = (kind: string) =>
    (objects.find(o => o.kind === kind) as KubeObject & { spec: { template: { spec: Pod } } }).spec
      .template.spec;
  return { registry: pod("Deployment"), redis: pod("StatefulSet") };
};

describe("pod user IDs (spec.podSecurity.uid)", () => {
  it("Fixed runs the images as their non-root users: registry 1000, Redis 999", () => {
    const { registry, redis } = pods("Fixed");
    expect(registry.securityContext).toMatchObject({
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
    });
    expect(redis.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
  });

  it("Assigned sets no IDs, only non-root, for the platform to assign (OpenShift's restricted SCC)", () => {
    for (const pod of Object.values(pods("Assigned"))) {
      expect(pod.securityContext).toEqual({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true });
    }
  });

  it("applies to a Cache's pods too", () => {
    const cachePod = (uid: UidMode) => {
      const spec = resolveCache({ upstreamRegistryURL: "https://quay.io", podSecurity: { uid } });
      const { objects } = renderCacheOf({
        name: "c",
        namespace: "ns",
        uid: "u",
        spec: spec as CacheSpec,
      });
      const d = objects.find(o => o.kind === "Deployment") as KubeObject & {
        spec: { template: { spec: Pod } };
      };
      return d.spec.template.spec.securityContext;
    };
    expect(cachePod("Fixed")).toMatchObject({ runAsUser: 1000 });
    expect(cachePod("Assigned")).not.toHaveProperty("runAsUser");
  });

  it("defaults to Auto, which render treats as Fixed until the cluster has decided it", () => {
    expect(resolveRegistry({ incoming: { spec: {} } }).spec.podSecurity).toEqual({ uid: "Auto" });
    expect(pods().registry.securityContext).toMatchObject({ runAsUser: 1000 });
  });

  it("warns that Assigned needs a platform that assigns IDs or non-root images", () => {
    const registry = { metadata: { name: "reg" }, spec: { podSecurity: { uid: "Assigned" } } };
    expect(validateRegistry(registry, {}).warnings).toEqual([
      expect.stringMatching(/^spec.podSecurity.uid: Assigned sets no user ID.*OpenShift/),
    ]);
    const cache = {
      metadata: { name: "c" },
      spec: { upstreamRegistryURL: "https://quay.io", podSecurity: { uid: "Assigned" } },
    };
    expect(validateCache(cache).warnings).toEqual([
      expect.stringMatching(/^spec.podSecurity.uid: Assigned/),
    ]);
    expect(
      validateRegistry({ metadata: { name: "reg" }, spec: { podSecurity: { uid: "Fixed" } } }, {})
        .warnings,
    ).toEqual([]);
  });
});
