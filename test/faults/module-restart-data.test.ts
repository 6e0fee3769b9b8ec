// Nothing lost across a module upgrade, a module restart and a registry upgrade: an image pushed
// through the real registry — run by the data-plane harness from what the operator applied — on a
// claim (filesystem) and on a COSI bucket (a real S3 server), under an earlier version of the
// module (earlier-module.ts), is served again after that module is stopped and this checkout's
// takes over, after this one is killed (SIGKILL) and started, and after the registries are then
// upgraded (3.0 → 3.1). The claim, the BucketClaim and BucketAccess (the same objects: their
// uids), the shared http.secret and the operator's CA (the same values: clients and nodes trust
// it) and the Deployments (patched, never re-created) survive all three. The cluster's pods are
// simulated: a claim's data is a host directory the harness keys by the claim's uid, so the image
// is read back only through the same claim (see data-retention-dataplane.test.ts); the cluster runs
// no COSI driver, so the test writes the Secret a driver would.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  apply,
  createSecret,
  eventually,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { clusterDeployment, clusterGet, planFromCluster } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import { expectServedWhole, roundTrip } from "../support/dataplane/image-roundtrip";
import { runPod, type RunOptions } from "../support/dataplane/pod-run";
import { cosiBucketInfo, runS3Server, type S3Server } from "../support/dataplane/s3-server";
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
  const REGISTRIES = ["keep", "bucket"] as const;
  let s3: S3Server;
  let volume: { remove: () => void } | undefined;
  let claimUid: string | undefined;
  beforeAll(async () => {
    s3 = await runS3Server();
  }, 120_000);
  afterAll(async () => {
    await stopModule();
    await s3?.stop();
    volume?.remove();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  }, 120_000);

  /** Where a registry's data lives: the claim's directory (by its uid), or the S3 server. */
  function where(name: (typeof REGISTRIES)[number]): Pick<RunOptions, "claimDirs" | "volumeDirs"> {
    if (name === "bucket") return { volumeDirs: { data: join(scratch, "unused-bucket") } };
    // The data is the claim's (by the uid it had when written): another claim is refused.
    claimUid ??= clusterGet<Stored>(ns.name, "PersistentVolumeClaim", "keep-data")?.metadata.uid;
    return { claimDirs: { [claimUid ?? "none"]: join(scratch, "keep-data") } };
  }

  /** Runs each registry the cluster describes (once its Deployment runs `runs`), does `what`. */
  async function withRegistries(
    runs: string,
    what: (ref: (path: string) => string, env: Record<string, string>) => Promise<void>,
  ): Promise<void> {
    for (const name of REGISTRIES) {
      await eventually(
        () =>
          clusterDeployment(ns.name, name)?.spec.template.spec.containers?.[0]?.image === runs
            ? true
            : undefined,
        120_000,
        `the Deployment ${name} running ${runs}`,
      );
      const plan = await planFromCluster(ns.name, name, 60_000);
      const pod = await runPod(plan, where(name));
      try {
        await what(p => pod.ref(p), pod.craneEnv);
      } finally {
        await pod.stop();
      }
    }
  }
  const servesTheImage = (runs: string) =>
    withRegistries(runs, (ref, env) =>
      expectServedWhole(layout, image, ref("team/app:v1"), scratch, env),
    );
  /** What must not change: the claims' identity, the generated Secrets' identity and values. */
  const uid = (kind: string, name: string) => clusterGet<Stored>(ns.name, kind, name)?.metadata.uid;
  const secret = (name: string) => {
    const s = clusterGet<Stored>(ns.name, "Secret", name);
    return s && { uid: s.metadata.uid, data: s.data };
  };
  const kept = () => ({
    claim: uid("PersistentVolumeClaim", "keep-data"),
    bucketClaim: uid("BucketClaim", "bucket"),
    bucketAccess: uid("BucketAccess", "bucket"),
    httpSecrets: REGISTRIES.map(n => secret(`${n}-http-secret`)),
    cas: REGISTRIES.map(n => secret(`${n}-tls-ca`)),
    deployments: REGISTRIES.map(n => uid("Deployment", n)),
  });
  let before: ReturnType<typeof kept> | undefined;

  /** Creates the Registries, on a claim and on a COSI bucket, and pushes the image through both. */
  async function createAndPush(): Promise<void> {
    volume = preboundVolume(ns.name, "keep-data");
    s3.createBucket(`restart-${ns.name}`);
    // What a COSI driver writes once it grants access (no owner: the driver's, not ours).
    createSecret(ns.name, "bucket-cosi", cosiBucketInfo(s3, `restart-${ns.name}`));
    const storage = {
      keep: { filesystem: { size: "1Gi" } },
      bucket: { bucketClassName: "s3-class", bucketAccessClass: "s3-access" },
    };
    for (const name of REGISTRIES)
      expect(
        apply(registryManifest(name, { image: OLD, storage: storage[name] }), ns.name).stderr,
      ).toBe("");
    await withRegistries(OLD, async (ref, env) => {
      const trip = await roundTrip(layout, image, ref("team/app:v1"), scratch, env);
      expect(trip.digests.served).toBe(image.digest);
    });
    before = kept();
    expect([before.claim, before.bucketClaim, before.bucketAccess]).toEqual([
      expect.any(String),
      expect.any(String),
      expect.any(String),
    ]);
    for (const s of before.httpSecrets) expect(s?.data?.secret).toBeTruthy();
    for (const ca of before.cas) expect(ca?.data?.["tls.crt"]).toBeTruthy();
    for (const d of before.deployments) expect(d).toBeTruthy();
  }

  const upgradeTitle =
    "serves images pushed under the earlier module version " +
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
      for (const name of REGISTRIES) {
        await eventually(
          () => clusterGet(ns.name, "NetworkPolicy", name),
          120_000,
          `NetworkPolicy ${name}`,
        );
        await waitForCondition(
          ns.name,
          "registry",
          name,
          { type: "Ready", status: "True" },
          120_000,
        );
      }
      await servesTheImage(OLD);
      expect(kept()).toEqual(before);
    },
    600_000,
  );

  it("serves images pushed before a SIGKILL of the module and before a registry upgrade", async () => {
    if (!before) {
      startModule();
      await createAndPush();
    }
    killModule();
    await stopModule();
    startModule();
    await servesTheImage(OLD);
    // The restarted module reconciles the Registries again (an edit it must act on), and upgrades them.
    for (const name of REGISTRIES)
      expect(patchRegistrySpec(ns.name, name, { image: NEW }).code).toBe(0);
    await servesTheImage(NEW);
    expect(kept()).toEqual(before);
    expect(
      clusterDeployment(ns.name, "keep")?.spec.template.spec.volumes?.find(v => v.name === "data"),
    ).toMatchObject({ persistentVolumeClaim: { claimName: "keep-data" } });
  }, 420_000);
});
