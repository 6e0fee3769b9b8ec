// Ownership of data and of children, proven with the cluster's garbage collector: deletionPolicy
// switched either way, managementState Unmanaged leaving children alone, and defaults resolved
// for a Registry the webhook never saw.
import {
  apply,
  eventually,
  getJson,
  kubectl,
  kubectlOk,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { DEFAULT_REGISTRY_IMAGE } from "../../lib/api/defaults";
import { registryManifest } from "../support/manifests";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const registry = registryManifest;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe("Registry ownership", () => {
  const ns = testNamespace("ownership");
  afterAll(() => ns.remove());
  const get = (...args: string[]): Loose => getJson(["-n", ns.name, ...args]);
  const exists = (...args: string[]) => kubectl(["-n", ns.name, "get", ...args]).code === 0;
  const owners = (...args: string[]) => get(...args).metadata.ownerReferences ?? [];
  const patchSpec = (name: string, spec: object) =>
    expect(patchRegistrySpec(ns.name, name, spec).code).toBe(0);
  const deleteAndCollect = async (name: string) => {
    kubectlOk(["-n", ns.name, "delete", "registry", name, "--wait=true"]);
    await eventually(
      () => (!exists("deployment", name) ? true : undefined),
      30_000,
      "garbage collection of the workload",
    );
  };

  it("Delete → Retain takes the owner off the claim and the bucket claim: deleting the Registry keeps both", async () => {
    const specs = {
      "fs-keep": { storage: { filesystem: { size: "1Gi" }, deletionPolicy: "Delete" } },
      "cosi-keep": {
        storage: { bucketClassName: "c", bucketAccessClass: "a", deletionPolicy: "Delete" },
      },
    };
    for (const [name, spec] of Object.entries(specs))
      expect(apply(registry(name, spec), ns.name).code).toBe(0);
    const data = [
      ["pvc", "fs-keep-data", "fs-keep"],
      ["bucketclaim", "cosi-keep", "cosi-keep"],
    ];
    for (const [kind, child] of data)
      await eventually(
        () => (exists(kind, child) && owners(kind, child).length === 1 ? true : undefined),
        15_000,
        `${kind} ${child} owned`,
      );
    for (const name of Object.keys(specs))
      patchSpec(name, { storage: { deletionPolicy: "Retain" } });
    for (const [kind, child] of data)
      await eventually(
        () => (owners(kind, child).length === 0 ? true : undefined),
        15_000,
        `${kind} ${child} released`,
      );
    for (const [kind, child, name] of data) {
      const uid = get(kind, child).metadata.uid;
      await deleteAndCollect(name);
      await sleep(3000); // the collector has had its chance
      expect(get(kind, child).metadata.uid).toBe(uid);
    }
  });

  it("Retain → Delete adds the owner: deleting the Registry deletes the claim", async () => {
    expect(
      apply(registry("fs-drop", { storage: { filesystem: { size: "1Gi" } } }), ns.name).code,
    ).toBe(0);
    await eventually(() => (exists("pvc", "fs-drop-data") ? true : undefined), 15_000, "the claim");
    expect(owners("pvc", "fs-drop-data")).toEqual([]);
    patchSpec("fs-drop", { storage: { deletionPolicy: "Delete" } });
    await eventually(
      () => (owners("pvc", "fs-drop-data").length === 1 ? true : undefined),
      15_000,
      "the claim owned",
    );
    await deleteAndCollect("fs-drop");
    await eventually(
      () =>
        !exists("pvc", "fs-drop-data") || get("pvc", "fs-drop-data").metadata.deletionTimestamp
          ? true
          : undefined,
      30_000,
      "the claim deleted",
    );
  });

  it("Unmanaged leaves children alone (edits survive, a deleted one stays deleted); Managed takes them back", async () => {
    expect(apply(registry("hands-off", {}), ns.name).code).toBe(0);
    await eventually(() => (exists("service", "hands-off") ? true : undefined), 15_000, "children");
    patchSpec("hands-off", { managementState: "Unmanaged" });
    await eventually(
      () => {
        const ready = (get("registry", "hands-off").status?.conditions ?? []).find(
          (c: { type: string }) => c.type === "Ready",
        );
        return ready?.reason === "Unmanaged" ? true : undefined;
      },
      15_000,
      "Ready=Unknown (Unmanaged)",
    );
    kubectlOk(["-n", ns.name, "delete", "service", "hands-off"]);
    kubectlOk(["-n", ns.name, "label", "deployment", "hands-off", "edited=by-hand"]);
    kubectlOk([
      "-n",
      ns.name,
      "patch",
      "deployment",
      "hands-off",
      "--type=merge",
      "-p",
      '{"spec":{"revisionHistoryLimit":2}}',
    ]);
    // A touch makes the operator look again; nothing may change.
    kubectlOk(["-n", ns.name, "annotate", "registry", "hands-off", "touch=1"]);
    await sleep(6000);
    expect(exists("service", "hands-off")).toBe(false);
    const d = get("deployment", "hands-off");
    expect(d.metadata.labels.edited).toBe("by-hand");
    expect(d.spec.revisionHistoryLimit).toBe(2);

    patchSpec("hands-off", { managementState: "Managed" });
    await eventually(
      () =>
        exists("service", "hands-off") &&
        get("deployment", "hands-off").spec.revisionHistoryLimit === 5
          ? true
          : undefined,
      15_000,
      "the Service restored and the edit reverted",
    );
  });

  it("resolves defaults for a Registry the webhook never saw (kube-system is skipped by it)", async () => {
    const name = `no-webhook-${ns.name}`.slice(0, 52);
    const r = kubectl(
      ["-n", "kube-system", "apply", "-f", "-"],
      JSON.stringify(registry(name, {})),
    );
    expect(r.code).toBe(0);
    try {
      expect(getJson<Loose>(["-n", "kube-system", "registry", name]).spec.image).toBeUndefined();
      // The watch may skip the namespace too; the periodic resync (60 s) finds it then.
      const d = await eventually(
        () => {
          const got = kubectl(["-n", "kube-system", "get", "deployment", name, "-o", "json"]);
          return got.code === 0 ? (JSON.parse(got.stdout) as Loose) : undefined;
        },
        80_000,
        "the Deployment",
      );
      expect(d.spec.template.spec.containers[0].image).toBe(DEFAULT_REGISTRY_IMAGE);
    } finally {
      kubectl(["-n", "kube-system", "delete", "registry", name, "--wait=false"]);
    }
  }, 100_000);
});
