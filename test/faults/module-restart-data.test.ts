// Nothing lost across a module upgrade, a module restart and a registry upgrade: an image pushed
// through the real registry — run by the data-plane harness from what the operator applied —
// under an earlier version of the module (earlier-module.ts) is served again after that module is
// stopped and this checkout's takes over, after this one is killed (SIGKILL) and started, and
// after the registry is then upgraded (3.0 → 3.1). The claim (the same object: its uid), the
// shared http.secret and the operator's CA (the same values: clients and nodes trust it) and the
// Deployment (patched, never re-created) survive all three. The cluster's pods are simulated: a
// claim's data is a host directory the harness keys by the claim's uid, so the image is read back
// only through the same claim (see data-retention-dataplane.test.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { apply, eventually, patchRegistrySpec, testNamespace } from "../support/kubectl";
import { clusterDeployment, clusterGet, planFromCluster } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import { pullCompare, roundTrip } from "../support/dataplane/image-roundtrip";
import { runPod } from "../support/dataplane/pod-run";
import { preboundVolume } from "../support/volumes";
import { registryManifest } from "../support/manifests";
import { killModule, startModule, stopModule } from "../support/module-process";
import { EARLIER_COMMIT, earlierModuleTree } from "../support/earlier-module";
import { waitForCondition } from "../support/conditions";

const OLD = "docker.io/library/registry:3.0.0";
const NEW = "docker.io/library/registry:3.1.0";
type Stored = { metadata: { uid: string }; data?: Record<string, string> };

// Computed while the suite is collected: without that history the upgrade test is skipped, named.
const earlier = earlierModuleTree();

describe("data across a module upgrade, a module restart and a registry upgrade", () => {
  const ns = testNamespace("restart-data");
  const scratch = mkdtempSync("/var/tmp/registry-operator-restart-");
  const layout = new OciLayout(join(scratch, "layout"));
  const image = layout.image([100, 16 * 1024]);
  const dir = join(scratch, "keep-data");
  let volume: { remove: () => void } | undefined;
  let claimUid: string | undefined;
  afterAll(async () => {
    await stopModule();
    volume?.remove();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  }, 120_000);

  /** Runs the registry the cluster describes (once its Deployment runs `runs`), does `what`. */
  async function withRegistry(
    runs: string,
    what: (ref: (path: string) => string, env: Record<string, string>) => Promise<void>,
  ): Promise<void> {
    await eventually(
      () =>
        clusterDeployment(ns.name, "keep")?.spec.template.spec.containers?.[0]?.image === runs
          ? true
          : undefined,
      120_000,
      `the Deployment running ${runs}`,
    );
    const plan = await planFromCluster(ns.name, "keep", 60_000);
    // The data is the claim's (by the uid it had when written): another claim is refused.
    claimUid ??= clusterGet<Stored>(ns.name, "PersistentVolumeClaim", "keep-data")?.metadata.uid;
    const pod = await runPod(plan, { claimDirs: { [claimUid ?? "none"]: dir } });
    try {
      await what(p => pod.ref(p), pod.craneEnv);
    } finally {
      await pod.stop();
    }
  }
  const servesTheImage = (runs: string) =>
    withRegistry(runs, async (ref, env) => {
      const pulled = await pullCompare(layout, image, ref("team/app:v1"), scratch, env);
      expect(pulled.digests).toEqual({
        pushed: image.digest,
        served: image.digest,
        pulled: image.digest,
      });
      expect(pulled.missing).toEqual([]);
    });
  /** What must not change: the claim's identity, the generated Secrets' identity and values. */
  const secret = (name: string) => {
    const s = clusterGet<Stored>(ns.name, "Secret", name);
    return s && { uid: s.metadata.uid, data: s.data };
  };
  const kept = () => ({
    claim: clusterGet<Stored>(ns.name, "PersistentVolumeClaim", "keep-data")?.metadata.uid,
    httpSecret: secret("keep-http-secret"),
    ca: secret("keep-tls-ca"),
    deployment: clusterGet<Stored>(ns.name, "Deployment", "keep")?.metadata.uid,
  });
  let before: ReturnType<typeof kept> | undefined;

  /** Creates the Registry on a claim and pushes the image through it. */
  async function createAndPush(): Promise<void> {
    volume = preboundVolume(ns.name, "keep-data");
    const manifest = registryManifest("keep", {
      image: OLD,
      storage: { filesystem: { size: "1Gi" } },
    });
    expect(apply(manifest, ns.name).stderr).toBe("");
    await withRegistry(OLD, async (ref, env) => {
      const trip = await roundTrip(layout, image, ref("team/app:v1"), scratch, env);
      expect(trip.digests.served).toBe(image.digest);
    });
    before = kept();
    expect(before.claim).toBeTruthy();
    expect(before.httpSecret?.data?.secret).toBeTruthy();
    expect(before.ca?.data?.["tls.crt"]).toBeTruthy();
    expect(before.deployment).toBeTruthy();
  }

  const upgradeTitle =
    "serves an image pushed under the earlier module version " +
    `${EARLIER_COMMIT.slice(0, 7)} after this version takes over`;
  ("dir" in earlier ? it : it.skip)(
    "missing" in earlier ? `${upgradeTitle} — skipped: ${earlier.missing}` : upgradeTitle,
    async () => {
      // The earlier version runs as cluster admin: its own, different ClusterRole is not built here.
      startModule({}, { tree: (earlier as { dir: string }).dir, unset: ["MODULE_KUBECONFIG"] });
      await createAndPush();
      // That version rendered no NetworkPolicy: one appearing is this version reconciling.
      expect(clusterGet(ns.name, "NetworkPolicy", "keep")).toBeUndefined();
      await stopModule(); // as a rollout stops the old pods
      startModule();
      await eventually(
        () => clusterGet(ns.name, "NetworkPolicy", "keep"),
        120_000,
        "NetworkPolicy keep",
      );
      await waitForCondition(
        ns.name,
        "registry",
        "keep",
        { type: "Ready", status: "True" },
        120_000,
      );
      await servesTheImage(OLD);
      expect(kept()).toEqual(before);
    },
    600_000,
  );

  it("serves an image pushed before a SIGKILL of the module and before a registry upgrade", async () => {
    if (!before) {
      startModule();
      await createAndPush();
    }
    killModule();
    await stopModule();
    startModule();
    await servesTheImage(OLD);
    // The restarted module reconciles the Registry again (an edit it must act on), and upgrades it.
    expect(patchRegistrySpec(ns.name, "keep", { image: NEW }).code).toBe(0);
    await servesTheImage(NEW);
    expect(kept()).toEqual(before);
    expect(
      clusterDeployment(ns.name, "keep")?.spec.template.spec.volumes?.find(v => v.name === "data"),
    ).toMatchObject({ persistentVolumeClaim: { claimName: "keep-data" } });
  }, 420_000);
});
