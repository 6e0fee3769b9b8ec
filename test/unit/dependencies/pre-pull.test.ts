import { noAccounts } from "../../support/fake-reader";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import { RegistrySpec as RegistrySpecSchema } from "../../../lib/api/registry-spec";
import type { Reader } from "../../../lib/dependencies/dependency";
import { formatIssues } from "../../../lib/admission/issues";
import { observePrePull, PRE_PULL_READY } from "../../../lib/dependencies/pre-pull/observe";
import { pullerNames } from "../../../lib/dependencies/pre-pull/render";
import { childNames } from "../../../lib/render/names";
import { renderResolvedRegistry } from "../../support/render";

const reader = (served: string[] | Error): Reader => ({
  object: async () => undefined,
  data: async () => undefined,
  childData: async () => undefined,
  ...noAccounts,
  servedKinds: async () => {
    if (served instanceof Error) throw served;
    return new Set(served);
  },
  pingRedis: async () => ({ ok: true }),
});
const observe = (spec: RegistrySpec, served: string[] | Error) =>
  observePrePull({ spec, names: childNames("r"), namespace: "ns" }, reader(served));
const PRE_PULL = { images: ["team/app:1.2", "base/run@sha256:" + "a".repeat(64)] };
const pullerOf = (spec: object) =>
  renderResolvedRegistry(spec, {
    found: { [PRE_PULL_READY]: { KubernetesImagePuller: "served" } },
  }).objects.find(o => o.kind === "KubernetesImagePuller") as
    | { metadata: { name: string; namespace: string }; spec: Record<string, string> }
    | undefined;

describe("prePull: observe half", () => {
  it("is not in use without spec.prePull", async () => {
    expect(await observe({}, ["KubernetesImagePuller"])).toBeUndefined();
  });

  it("says the image-puller operator is not installed, without blocking Ready, and looks again", async () => {
    expect(await observe({ prePull: PRE_PULL }, [])).toMatchObject({
      type: PRE_PULL_READY,
      ready: false,
      reason: "ImagePullerNotInstalled",
      blocking: false,
      recheckMs: 60_000,
    });
  });

  it("reports a discovery failure as such", async () => {
    expect(await observe({ prePull: PRE_PULL }, new Error("timeout"))).toMatchObject({
      reason: "DiscoveryFailed",
      blocking: false,
    });
  });

  it("hands the render half the served kind", async () => {
    expect(await observe({ prePull: PRE_PULL }, ["KubernetesImagePuller"])).toMatchObject({
      ready: true,
      reason: "PullerRequested",
      found: { KubernetesImagePuller: "served" },
    });
  });
});

describe("prePull: render half", () => {
  it("renders nothing where the kind is not served", () => {
    const { objects } = renderResolvedRegistry({ prePull: PRE_PULL });
    expect(objects.some(o => o.kind === "KubernetesImagePuller")).toBe(false);
  });

  it("names the images by the registry's Service host, in the puller's formats", () => {
    const puller = pullerOf({
      prePull: { ...PRE_PULL, nodeSelector: { pool: "gpu" }, imagePullSecrets: ["a", "b"] },
    });
    expect(puller!.metadata).toMatchObject({ name: "reg-pre-pull", namespace: "ns" });
    expect(puller!.spec).toEqual({
      deploymentName: "reg-pre-pull",
      configMapName: "reg-pre-pull",
      daemonsetName: "reg-pre-pull",
      images: `app-1=reg.ns.svc:5000/team/app:1.2;run-2=reg.ns.svc:5000/base/run@sha256:${"a".repeat(64)};`,
      cachingIntervalHours: "1",
      nodeSelector: '{"pool":"gpu"}',
      imagePullSecrets: "a;b",
    });
  });

  it("uses the Ingress host when there is one", () => {
    const puller = pullerOf({ ingress: { host: "registry.example.com" }, prePull: PRE_PULL });
    expect(puller!.spec.images).toContain("app-1=registry.example.com/team/app:1.2;");
  });

  it("makes each container name a distinct DNS label", () => {
    const names = pullerNames(["a/App_x:1", "b/app_x:2", "x".repeat(80), "team/__"]);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("prePull: admission", () => {
  const problems = (prePull: unknown) => {
    const r = RegistrySpecSchema.safeParse({ prePull });
    return r.success ? [] : formatIssues(r.error.issues);
  };
  it.each([
    [{ images: ["ghcr.io/org/app:1"] }, "prePull.images[0]: must name an image of this registry"],
    [{ images: ["localhost:5000/app"] }, "prePull.images[0]: must name an image of this registry"],
    [{ images: [] }, "prePull.images"],
    [{ images: ["a", "a"] }, "prePull.images: must not repeat an image"],
    [{ images: ["a"], cachingIntervalHours: 0 }, "prePull.cachingIntervalHours"],
  ])("refuses %j", (prePull, message) => {
    expect(problems(prePull).join("\n")).toContain(message);
  });
  it("accepts repositories with tags and digests", () => {
    expect(problems(PRE_PULL)).toEqual([]);
  });
});
