// Nothing lost, and recovery: images pushed through the real registry — run by the data-plane
// harness from what the operator applied — are served again after `managementState: Removed` and
// back, after the Registry is deleted (deletionPolicy Retain, the default) and created again with
// the same storage (the same claim; the same BucketClaim; the same bucket under another name), and
// after the template that gave the storage is deleted. The cluster's pods are simulated: a claim's
// data is a host directory the harness keys by the claim's uid (it refuses a pod mounting another
// claim), so the image is read back only through the same claim object; S3 uses a real S3 server.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  apply,
  createSecret,
  eventually,
  kubectl,
  kubectlOk,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { clusterDeployment, clusterGet, planFromCluster } from "../support/dataplane/lookup";
import { OciLayout, type Descriptor } from "../support/dataplane/oci-layout";
import { expectServedWhole, roundTrip } from "../support/dataplane/image-roundtrip";
import { runPod, type RunOptions } from "../support/dataplane/pod-run";
import { cosiBucketInfo, runS3Server, type S3Server } from "../support/dataplane/s3-server";
import { preboundVolume } from "../support/volumes";
import { registryManifest } from "../support/manifests";
import { waitForCondition } from "../support/conditions";

type Claim = { metadata: { uid: string; ownerReferences?: unknown[] } };

describe("data outlives Removed, deletion and template deletion", () => {
  const ns = testNamespace("retain");
  const scratch = mkdtempSync("/var/tmp/registry-operator-retain-");
  const layout = new OciLayout(join(scratch, "layout"));
  const image = layout.image([100, 16 * 1024]);
  let s3: S3Server;
  let volume: { remove: () => void } | undefined;
  const templateVolumes: { remove: () => void }[] = [];
  beforeAll(async () => {
    s3 = await runS3Server();
  }, 120_000);
  afterAll(async () => {
    await s3?.stop();
    volume?.remove();
    for (const v of templateVolumes) v.remove();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  });

  /** Where a pod's data lives: a claim's directory by its uid, or a scratch directory (S3). */
  type Where = Pick<RunOptions, "volumeDirs" | "claimDirs">;
  const scratchDir = (n: string): Where => ({ volumeDirs: { data: join(scratch, n) } });
  /** Runs the registry the cluster describes for `name` on `where`, does `what`, stops it. */
  async function withRegistry<T>(
    name: string,
    where: Where,
    what: (ref: (path: string) => string, env: Record<string, string>) => Promise<T>,
  ): Promise<T> {
    const plan = await planFromCluster(ns.name, name, 60_000);
    const pod = await runPod(plan, where);
    try {
      return await what(p => pod.ref(p), pod.craneEnv);
    } finally {
      await pod.stop();
    }
  }
  const push = (name: string, where: Where) =>
    withRegistry(name, where, async (ref, env) => {
      const trip = await roundTrip(layout, image, ref("team/app:v1"), scratch, env);
      expect(trip.digests.served).toBe(image.digest);
    });
  const servesTheImage = (name: string, where: Where, root: Descriptor = image) =>
    withRegistry(name, where, (ref, env) =>
      expectServedWhole(layout, root, ref("team/app:v1"), scratch, env),
    );
  const gone = (name: string) =>
    eventually(() => (clusterDeployment(ns.name, name) ? undefined : true), 60_000, `${name} gone`);
  const claim = () => clusterGet<Claim>(ns.name, "PersistentVolumeClaim", "keep-data");

  it("filesystem: the same claim after Removed and back, and after delete and re-create", async () => {
    const dir = join(scratch, "keep-data");
    volume = preboundVolume(ns.name, "keep-data");
    expect(
      apply(registryManifest("keep", { storage: { filesystem: { size: "1Gi" } } }), ns.name).stderr,
    ).toBe("");
    // The data is the claim's: a pod mounting any other claim is refused by the harness.
    const uid = await eventually(() => claim()?.metadata.uid, 60_000, "the claim");
    const onClaim: Where = { claimDirs: { [uid]: dir } };
    await push("keep", onClaim);

    expect(patchRegistrySpec(ns.name, "keep", { managementState: "Removed" }).code).toBe(0);
    await gone("keep");
    expect(claim()?.metadata.uid).toBe(uid);
    expect(patchRegistrySpec(ns.name, "keep", { managementState: "Managed" }).code).toBe(0);
    await servesTheImage("keep", onClaim);

    kubectlOk(["-n", ns.name, "delete", "registry", "keep", "--wait=true"]);
    await gone("keep");
    expect(claim()?.metadata.uid).toBe(uid);
    expect(claim()?.metadata.ownerReferences ?? []).toEqual([]);
    expect(
      apply(registryManifest("keep", { storage: { filesystem: { size: "1Gi" } } }), ns.name).stderr,
    ).toBe("");
    const mounted = await eventually(
      () =>
        clusterDeployment(ns.name, "keep")?.spec.template.spec.volumes?.find(
          v => v.name === "data",
        ),
      60_000,
      "the new Deployment's data volume",
    );
    expect(mounted).toMatchObject({ persistentVolumeClaim: { claimName: "keep-data" } });
    expect(claim()?.metadata.uid).toBe(uid);
    await servesTheImage("keep", onClaim);
  }, 300_000);

  const s3Storage = (bucket: string) => ({
    s3: {
      bucket,
      region: s3.region,
      endpoint: s3.endpoint.replace("127.0.0.1", "localhost"),
      forcePathStyle: true,
      secretRef: { name: "s3-keys" },
    },
  });

  it("S3: a new Registry on the bucket of a deleted one serves its images", async () => {
    const bucket = `moved-${ns.name}`;
    s3.createBucket(bucket);
    createSecret(ns.name, "s3-keys", {
      AWS_ACCESS_KEY_ID: s3.accessKey,
      AWS_SECRET_ACCESS_KEY: s3.secretKey,
    });
    expect(apply(registryManifest("old", { storage: s3Storage(bucket) }), ns.name).stderr).toBe("");
    await push("old", scratchDir("unused-old"));
    kubectlOk(["-n", ns.name, "delete", "registry", "old", "--wait=true"]);
    await gone("old");
    expect(apply(registryManifest("new", { storage: s3Storage(bucket) }), ns.name).stderr).toBe("");
    await servesTheImage("new", scratchDir("unused-new"));
  }, 300_000);

  it("COSI: the same BucketClaim and BucketAccess after Removed and back, and after delete and re-create", async () => {
    const bucket = `cosi-keep-${ns.name}`;
    s3.createBucket(bucket);
    const cosi = { storage: { bucketClassName: "s3-class", bucketAccessClass: "s3-access" } };
    expect(apply(registryManifest("cosi-keep", cosi), ns.name).stderr).toBe("");
    // What a COSI driver writes once it grants access (no owner: the driver's, not ours).
    createSecret(ns.name, "cosi-keep-cosi", cosiBucketInfo(s3, bucket));
    await push("cosi-keep", scratchDir("unused-cosi"));
    const claims = () =>
      ["BucketClaim", "BucketAccess"].map(kind => {
        const o = clusterGet<Claim>(ns.name, kind, "cosi-keep");
        return o && { kind, uid: o.metadata.uid, owners: o.metadata.ownerReferences ?? [] };
      });
    const before = claims();
    expect(before.every(c => c?.uid)).toBe(true);

    expect(patchRegistrySpec(ns.name, "cosi-keep", { managementState: "Removed" }).code).toBe(0);
    await gone("cosi-keep");
    expect(claims()).toEqual(before);
    expect(patchRegistrySpec(ns.name, "cosi-keep", { managementState: "Managed" }).code).toBe(0);
    await servesTheImage("cosi-keep", scratchDir("unused-cosi"));

    kubectlOk(["-n", ns.name, "delete", "registry", "cosi-keep", "--wait=true"]);
    await gone("cosi-keep");
    expect(claims()).toEqual(before.map(c => c && { ...c, owners: [] }));
    expect(apply(registryManifest("cosi-keep", cosi), ns.name).stderr).toBe("");
    await servesTheImage("cosi-keep", scratchDir("unused-cosi"));
    expect(claims()).toEqual(before);
  }, 300_000);

  it.each(["filesystem", "s3"] as const)(
    "a template's deletion leaves its Registry's storage (%s) and images",
    async storage => {
      const name = `tpl-${storage === "s3" ? "s3" : "fs"}`;
      const template = `retain-${name}-${ns.name}`;
      let where = scratchDir(`unused-${name}`);
      if (storage === "s3") s3.createBucket(`${name}-${ns.name}`);
      else templateVolumes.push(preboundVolume(ns.name, `${name}-data`));
      kubectlOk(
        ["apply", "-f", "-"],
        JSON.stringify({
          apiVersion: "registry-operator.dev/v1alpha1",
          kind: "RegistryTemplate",
          metadata: { name: template },
          spec: {
            storage:
              storage === "s3" ? s3Storage(`${name}-${ns.name}`) : { filesystem: { size: "1Gi" } },
          },
        }),
      );
      try {
        expect(apply(registryManifest(name, {}, { template }), ns.name).stderr).toBe("");
        const claimUid = () =>
          clusterGet<Claim>(ns.name, "PersistentVolumeClaim", `${name}-data`)?.metadata.uid;
        if (storage === "filesystem") {
          // The claim the template's storage made: its data is the claim's.
          const uid = await eventually(claimUid, 60_000, "the claim");
          where = { claimDirs: { [uid]: join(scratch, `${name}-data`) } };
        }
        await push(name, where);
        const before = JSON.stringify(clusterDeployment(ns.name, name)?.spec.template);
        const claimBefore = claimUid();
        kubectlOk(["delete", "registrytemplate", template, "--wait=true"]);
        await waitForCondition(ns.name, "registry", name, {
          type: "TemplateResolved",
          status: "False",
        });
        expect(JSON.stringify(clusterDeployment(ns.name, name)?.spec.template)).toBe(before);
        expect(claimUid()).toBe(claimBefore);
        await servesTheImage(name, where);
      } finally {
        kubectl(["delete", "registrytemplate", template, "--ignore-not-found"]);
      }
    },
    300_000,
  );
});
