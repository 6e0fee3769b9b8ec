// spec.prePull on a real API server with the module running: without the image-puller operator's
// CRD the condition says so and the registry serves; once it is installed a KubernetesImagePuller
// names our images (by the registry's host), owned by the Registry; dropping prePull prunes it.
import { join } from "node:path";
import {
  apply,
  eventually,
  kubectl,
  kubectlOk,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { conditionOf, waitForCondition } from "../support/conditions";
import { registryManifest } from "../support/manifests";

const CRD = join(__dirname, "../support/crds/che.eclipse.org_kubernetesimagepullers.yaml");
const removeCrd = () => kubectl(["delete", "--ignore-not-found", "--wait=true", "-f", CRD]);

type Puller = {
  metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec: Record<string, string>;
};
const getPuller = (ns: string) => {
  const r = kubectl(["-n", ns, "get", "kubernetesimagepuller", "pp-pre-pull", "-o", "json"]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Puller) : undefined;
};

/** The DaemonSet the image-puller operator makes: one sleeping container per image. */
const pullerDaemonSet = (image: string) => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "pp-pre-pull" },
  spec: {
    selector: { matchLabels: { app: "pp-pre-pull" } },
    template: {
      metadata: { labels: { app: "pp-pre-pull" } },
      spec: {
        tolerations: [{ operator: "Exists" }],
        containers: [
          {
            name: "app-1",
            image,
            command: ["/kip/sleep"],
            securityContext: {
              allowPrivilegeEscalation: false,
              runAsNonRoot: true,
              runAsUser: 1000,
              capabilities: { drop: ["ALL"] },
              seccompProfile: { type: "RuntimeDefault" },
            },
          },
        ],
      },
    },
  },
});

describe("spec.prePull", () => {
  const ns = testNamespace("pre-pull");
  const prePull = { images: ["team/app:1.2", "base/runtime:3"], nodeSelector: { pool: "build" } };
  beforeAll(() => removeCrd(), 120_000);
  afterAll(() => {
    ns.remove();
    removeCrd();
  }, 120_000);

  it("without the image-puller operator: says so, and serves", async () => {
    expect(apply(registryManifest("pp", { prePull }), ns.name).code).toBe(0);
    const c = await waitForCondition(ns.name, "registry", "pp", {
      type: "PrePullReady",
      status: "False",
      reason: "ImagePullerNotInstalled",
    });
    expect(c.message).toContain("does not serve che.eclipse.org/v1alpha1 KubernetesImagePuller");
    await waitForCondition(ns.name, "registry", "pp", { type: "Ready", status: "True" });
  }, 120_000);

  it("once it is installed: a KubernetesImagePuller with our images, owned", async () => {
    kubectlOk(["apply", "--server-side", "-f", CRD]);
    kubectlOk(["wait", "--for=condition=Established", "--timeout=60s", "-f", CRD]);
    // Discovery answers are held 15 s and a missing CRD is looked for every 30 s: within 45 s
    // (docs), with a margin for the queue.
    const waiting = await waitForCondition(
      ns.name,
      "registry",
      "pp",
      { type: "PrePullReady", status: "False", reason: "WaitingForPuller" },
      60_000,
    );
    expect(waiting.message).toContain("WATCH_NAMESPACE");
    const puller = getPuller(ns.name)!;
    expect(puller.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "Registry", name: "pp", controller: true }),
    ]);
    const host = `pp.${ns.name}.svc:5000`;
    expect(puller.spec).toMatchObject({
      images: `app-1=${host}/team/app:1.2;runtime-2=${host}/base/runtime:3;`,
      nodeSelector: '{"pool":"build"}',
      daemonsetName: "pp-pre-pull",
      deploymentName: "kubernetes-image-puller",
      configMapName: "k8s-image-puller",
    });
  }, 200_000);

  it("reports the puller's DaemonSet: Ready once every node it selects has the images", async () => {
    // No image-puller operator runs here: the test makes the DaemonSet it would make.
    expect(apply(pullerDaemonSet(`pp.${ns.name}.svc:5000/team/app:1.2`), ns.name).code).toBe(0);
    const c = await waitForCondition(
      ns.name,
      "registry",
      "pp",
      { type: "PrePullReady", status: "True", reason: "ImagesPulled" },
      90_000,
    );
    expect(c.message).toMatch(/^2 image\(s\) on \d+ node\(s\)/);
  }, 120_000);

  it("follows the spec, and goes with prePull", async () => {
    const patch = (prePull: object | null) =>
      expect(patchRegistrySpec(ns.name, "pp", { prePull }).code).toBe(0);
    patch({ images: ["team/app:1.3"], nodeSelector: null });
    await eventually(
      () =>
        getPuller(ns.name)?.spec.images === `app-1=pp.${ns.name}.svc:5000/team/app:1.3;`
          ? true
          : undefined,
      60_000,
      "the new image list",
    );
    expect(getPuller(ns.name)!.spec.nodeSelector).toBeUndefined();
    patch(null);
    await eventually(() => (getPuller(ns.name) ? undefined : true), 60_000, "the puller pruned");
    await eventually(
      () => (conditionOf(ns.name, "registry", "pp", "PrePullReady") ? undefined : true),
      60_000,
      "the condition gone",
    );
  }, 150_000);
});
