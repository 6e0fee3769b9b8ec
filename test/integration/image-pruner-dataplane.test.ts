// The pruning program on a real registry run through the harness from what the operator applied
// for a Registry: the program and its settings are the ones the ImagePruner's CronJob carries
// (its ConfigMap, its container's command and env), run with the local Node.js; only the
// registry's address is the harness' own. Six tags of different ages and two multi-arch images.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { apply, eventually, getJson, kubectlOk, testNamespace } from "../support/kubectl";
import { waitForCondition } from "../support/conditions";
import { crane, pushLayout } from "../support/dataplane/crane";
import { pullCompare } from "../support/dataplane/image-roundtrip";
import { clusterGet, clusterLookup, planFromCluster } from "../support/dataplane/lookup";
import { planPod, type DeploymentLike, type PodPlan } from "../support/dataplane/pod-plan";
import { OciLayout } from "../support/dataplane/oci-layout";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import { PLAIN_HTTP } from "../support/dataplane/rendered-plan";
import { registryManifest } from "../support/manifests";
import { preboundVolume } from "../support/volumes";

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

type Container = { command: string[]; env: { name: string; value?: string }[] };
type CronJob = {
  spec: { jobTemplate: { spec: { template: { spec: { containers: Container[] } } } } };
};

/** Whether the config file a plan mounts turns the registry read-only. */
const readOnlyConfig = (plan: PodPlan): boolean =>
  plan.mounts.some(
    m =>
      m.source.type === "files" &&
      m.source.files.some(f => /readonly:\s*\n\s*enabled: true/.test(f.content.toString())),
  );

describe("image pruning on a real registry", () => {
  const ns = testNamespace("pruner-dp");
  const scratch = mkdtempSync("/var/tmp/registry-operator-pruner-");
  const layout = new OciLayout(join(scratch, "layout"));
  /** The registry's storage (its emptyDir), kept across restarts of its server. */
  const data = join(scratch, "data");
  let registry: RunningPod;
  let youngIndex: ReturnType<OciLayout["index"]> | undefined;
  let volume: { remove: () => void } | undefined;
  afterAll(async () => {
    volume?.remove();
    await registry?.stop();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  });

  /** Runs the CronJob's container as its pod would, against the harness' registry. */
  const runAsCronJob = () => {
    const cron = getJson<CronJob>(["-n", ns.name, "cronjob", "nightly"]);
    const [c] = cron.spec.jobTemplate.spec.template.spec.containers;
    const program = getJson<{ data: Record<string, string> }>([
      "-n",
      ns.name,
      "configmap",
      "nightly-program",
    ]).data["prune.js"];
    const file = join(scratch, "prune.js");
    writeFileSync(file, program);
    const env = Object.fromEntries(c.env.map(e => [e.name, e.value ?? ""]));
    expect(env.REGISTRY_URL).toBe(`http://reg.${ns.name}.svc:5000`);
    expect(c.command).toEqual(["node", "/etc/pruner/prune.js"]);
    const r = spawnSync(process.execPath, [file], {
      env: { PATH: process.env.PATH, ...env, REGISTRY_URL: registry.url(5000) },
      encoding: "utf8",
    });
    if (r.status !== 0) console.log(r.stdout, r.stderr);
    return { code: r.status, summary: JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") };
  };
  /** The registry's pod plan, once its config is read-only (or writable again). */
  const registryPlanWhen = (readOnly: boolean) =>
    eventually(
      async () => {
        const plan = await planFromCluster(ns.name, "reg");
        return readOnlyConfig(plan) === readOnly ? plan : undefined;
      },
      60_000,
      `the registry's config to turn ${readOnly ? "read-only" : "writable"}`,
    );
  const tags = async () =>
    (await crane(["ls", registry.ref("team/app")], registry.craneEnv)).stdout
      .trim()
      .split("\n")
      .sort();

  it("keeps the newest and the young tags, multi-arch images whole; a dry run deletes nothing", async () => {
    // Filesystem storage (a ReadWriteOnce claim, on a volume made for it): the data survives
    // the registry's restarts, and garbage collection runs beside its pod.
    volume = preboundVolume(ns.name, "reg-data");
    const spec = { image: "registry:3.0.0", storage: { filesystem: {} }, tls: PLAIN_HTTP };
    expect(apply(registryManifest("reg", spec), ns.name).code).toBe(0);
    registry = await runPod(await planFromCluster(ns.name, "reg"), { volumeDirs: { data } });
    const push = async (tag: string, root: ReturnType<OciLayout["image"]>) => {
      layout.setRoot(root);
      await pushLayout(layout.dir, registry.ref(`team/app:${tag}`), registry.craneEnv);
    };
    // v1 (6 days old) … v6 (1 day old); an old multi-arch image and a young one.
    for (let i = 1; i <= 6; i++)
      await push(`v${i}`, layout.image([2000 + i], undefined, true, ago((7 - i) * DAY)));
    const oldIndex = layout.index(["amd64", "arm64"], [3000], ago(30 * DAY));
    youngIndex = layout.index(["amd64", "arm64"], [4000], ago(DAY / 24));
    await push("multi-old", oldIndex as ReturnType<OciLayout["image"]>);
    await push("multi", youngIndex as ReturnType<OciLayout["image"]>);
    expect(await tags()).toEqual(["multi", "multi-old", "v1", "v2", "v3", "v4", "v5", "v6"]);

    // Keep 3 tags and everything younger than 2 hours: multi (1 h), v6, v5.
    const pruner = (dryRun: boolean) => ({
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "ImagePruner",
      metadata: { name: "nightly" },
      spec: {
        registryRef: { name: "reg" },
        // Once a year: no scheduled run may start beside the runs the test starts itself.
        schedule: "0 0 1 1 *",
        keepTagRevisions: 3,
        keepYoungerThan: "2h",
        dryRun,
      },
    });
    expect(apply(pruner(true), ns.name).code).toBe(0);
    await waitForCondition(ns.name, "imagepruner", "nightly", { type: "Ready", status: "True" });
    const dry = runAsCronJob();
    expect(dry.code).toBe(0);
    expect(dry.summary).toMatchObject({ dryRun: true, repositories: 1, tags: 8, errors: [] });
    expect(dry.summary.deletedTags.sort()).toEqual(
      ["multi-old", "v1", "v2", "v3", "v4"].map(t => `team/app:${t}`),
    );
    expect(await tags()).toHaveLength(8);

    expect(apply(pruner(false), ns.name).code).toBe(0);
    await eventually(
      () =>
        getJson<CronJob>([
          "-n",
          ns.name,
          "cronjob",
          "nightly",
        ]).spec.jobTemplate.spec.template.spec.containers[0].env.some(
          e => e.name === "DRY_RUN" && e.value === "false",
        ) || undefined,
      30_000,
      "the CronJob to leave dry-run mode",
    );
    const run = runAsCronJob();
    expect(run.code).toBe(0);
    // The old index and each of its two children.
    expect(run.summary).toMatchObject({ dryRun: false, deletedManifests: 7, errors: [] });
    expect(await tags()).toEqual(["multi", "v5", "v6"]);
    // The young multi-arch image, index and every platform, still pulls whole.
    const trip = await pullCompare(
      layout,
      youngIndex,
      registry.ref("team/app:multi"),
      scratch,
      registry.craneEnv,
    );
    expect(trip.digests.pulled).toBe(youngIndex.digest);
    expect([trip.missing, trip.corrupt]).toEqual([[], []]);
    // The old index went, and both its platforms with it.
    const oldChildren = (
      JSON.parse(
        readFileSync(join(layout.dir, "blobs", "sha256", oldIndex.digest.slice(7)), "utf8"),
      ) as { manifests: { digest: string }[] }
    ).manifests.map(m => m.digest);
    for (const digest of [oldIndex.digest, ...oldChildren])
      await expect(
        crane(["manifest", registry.ref(`team/app@${digest}`)], registry.craneEnv),
      ).rejects.toThrow(/MANIFEST_UNKNOWN|404/);
  }, 240_000);

  it("collects the freed blobs with the registry read-only meanwhile, then turns it writable", async () => {
    const bytes = () =>
      Number(execFileSync("du", ["-sb", data], { encoding: "utf8" }).split("\t")[0]);
    const other = new OciLayout(join(scratch, "during"));
    other.setRoot(other.image([1000]));
    const pushOther = (tag: string) =>
      pushLayout(other.dir, registry.ref(`team/other:${tag}`), registry.craneEnv).then(
        () => "pushed",
        (err: Error) => err.message,
      );
    // A run of the CronJob (the local cluster's pod reports nothing): garbage collection follows.
    kubectlOk(["-n", ns.name, "create", "job", "nightly-now", "--from=cronjob/nightly"]);
    const readOnly = await registryPlanWhen(true);
    await registry.stop();
    registry = await runPod(readOnly, { volumeDirs: { data } });
    // Pulls are served; pushes are refused by the registry itself.
    expect(
      (await crane(["digest", registry.ref("team/app:v6")], registry.craneEnv)).stdout,
    ).toMatch(/^sha256:/);
    expect(await pushOther("during")).toMatch(/UNSUPPORTED|read-only|405/i);

    // The Job the pruner made, run as its pod would, on the same storage.
    const job = await eventually(
      () => clusterGet<DeploymentLike>(ns.name, "Job", "nightly-gc"),
      60_000,
      "the garbage-collection Job",
    );
    const before = bytes();
    const gc = await runPod(planPod(job, clusterLookup(ns.name), "garbage-collect"), {
      waitFor: "exit",
      volumeDirs: { data },
    });
    expect([gc.exitStatus(), gc.output()]).toEqual([
      "exited with code 0",
      expect.stringMatching(/eligible for deletion/),
    ]);
    const freed = before - bytes();
    // At least the layers of v1-v4 and of the old index's two platforms (random, so incompressible).
    expect(freed).toBeGreaterThan(4 * 2000 + 2 * 3000);

    // The Job ended: the registry turns writable again.
    await waitForCondition(ns.name, "imagepruner", "nightly", { type: "Ready", status: "True" });
    const writable = await registryPlanWhen(false);
    await registry.stop();
    registry = await runPod(writable, { volumeDirs: { data } });
    expect(await pushOther("after")).toBe("pushed");
    // What was kept still pulls whole after the collection.
    const trip = await pullCompare(
      layout,
      youngIndex!,
      registry.ref("team/app:multi"),
      scratch,
      registry.craneEnv,
    );
    expect([trip.missing, trip.corrupt]).toEqual([[], []]);
    expect(
      getJson<{ status: { lastGarbageCollection?: { result: string; run: string } } }>([
        "-n",
        ns.name,
        "imagepruner",
        "nightly",
      ]).status.lastGarbageCollection,
    ).toMatchObject({ result: "Succeeded", run: "nightly-now" });
  }, 240_000);
});
