import { noAccounts } from "../../support/fake-reader";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import { RegistrySpec as RegistrySpecSchema } from "../../../lib/api/registry-spec";
import type { Reader } from "../../../lib/dependencies/dependency";
import { formatIssues } from "../../../lib/admission/issues";
import { observePrePull, PRE_PULL_READY } from "../../../lib/dependencies/pre-pull/observe";
import { pullerNames } from "../../../lib/dependencies/pre-pull/render";
import { childNames } from "../../../lib/render/names";
import { renderResolvedRegistry } from "../../support/render";

const reader = (served: string[] | Error, daemonSet?: object): Reader => ({
  object: async () => daemonSet as Awaited<ReturnType<Reader["object"]>>,
  data: async () => undefined,
  childData: async () => undefined,
  ...noAccounts,
  servedKinds: async () => {
    if (served instanceof Error) throw served;
    return new Set(served);
  },
  pingRedis: async () => ({ ok: true }),
});
const observe = (spec: RegistrySpec, served: string[] | Error, daemonSet?: object) =>
  observePrePull({ spec, names: childNames("r"), namespace: "ns" }, reader(served, daemonSet));
const daemonSet = (desiredNumberScheduled: number, numberReady: number) => ({
  metadata: { name: "r-pre-pull", namespace: "ns" },
  status: { desiredNumberScheduled, numberReady },
});
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
      recheckMs: 30_000,
    });
  });

  it("reports a discovery failure as such", async () => {
    expect(await observe({ prePull: PRE_PULL }, new Error("timeout"))).toMatchObject({
      reason: "DiscoveryFailed",
      blocking: false,
    });
  });

  it("hands the render half the served kind, and waits for the puller's DaemonSet", async () => {
    const state = await observe({ prePull: PRE_PULL }, ["KubernetesImagePuller"]);
    expect(state).toMatchObject({
      ready: false,
      reason: "WaitingForPuller",
      blocking: false,
      found: { KubernetesImagePuller: "served" },
    });
    expect(state?.message).toContain("WATCH_NAMESPACE");
  });

  it.each([
    [daemonSet(0, 0), false, "NoNodes"],
    [daemonSet(3, 1), false, "Pulling"],
    [daemonSet(3, 3), true, "ImagesPulled"],
  ])("reads the DaemonSet's pods: %j", async (ds, ready, reason) => {
    expect(await observe({ prePull: PRE_PULL }, ["KubernetesImagePuller"], ds)).toMatchObject({
      ready,
      reason,
      blocking: false,
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
      deploymentName: "kubernetes-image-puller",
      configMapName: "k8s-image-puller",
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
