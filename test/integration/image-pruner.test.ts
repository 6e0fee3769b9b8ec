// ImagePruner on a real API server with the module running: bad input refused at admission naming
// the field; the CronJob rendered with the schedule, suspend flag and resources, owned; suspend
// pauses it; deleting the pruner removes it.
import { apply, eventually, getJson, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { waitForCondition } from "../support/conditions";
import { registryManifest } from "../support/manifests";
import { preboundVolume } from "../support/volumes";

// Once a year, so a scheduled run never starts while the test checks the runs it starts itself
// (with a run every 30 minutes, one crossing :00 became the run the status reported).
const SCHEDULE = "0 0 1 1 *";

const pruner = (name: string, spec: object) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "ImagePruner",
  metadata: { name },
  spec,
});

type CronJob = {
  metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec: {
    schedule: string;
    suspend: boolean;
    concurrencyPolicy: string;
    jobTemplate: {
      spec: {
        template: {
          spec: { containers: { command: string[]; resources: Record<string, unknown> }[] };
        };
      };
    };
  };
};

/** Merge-patches the pruner's spec. */
const patch = (namespace: string, spec: object) =>
  kubectlOk([
    "-n",
    namespace,
    "patch",
    "imagepruner",
    "nightly",
    "--type=merge",
    "-p",
    JSON.stringify({ spec }),
  ]);

describe("ImagePruner", () => {
  const ns = testNamespace("pruner");
  const other = testNamespace("pruner-other");
  let volume: { remove: () => void } | undefined;
  afterAll(() => {
    ns.remove();
    other.remove();
    volume?.remove();
  });
  const patchPruner = (spec: object) => patch(ns.name, spec);

  it("refuses bad input at admission, naming the field", () => {
    // Filesystem storage, on a volume made for its claim (the local cluster has no provisioner).
    volume = preboundVolume(ns.name, "reg-data");
    expect(apply(registryManifest("reg", { storage: { filesystem: {} } }), ns.name).code).toBe(0);
    const refused = (spec: object, namespace = ns.name) => {
      const r = apply(pruner("bad", spec), namespace);
      expect(r.code).not.toBe(0);
      return r.stderr;
    };
    const ref = { registryRef: { name: "reg" } };
    expect(refused({ ...ref, schedule: "every night" })).toMatch(/spec.schedule/);
    expect(refused({ ...ref, schedule: "0 25 * * *" })).toMatch(
      /spec.schedule: not a cron schedule: hour "25": out of range 0-23/,
    );
    expect(refused({ ...ref, keepTagRevisions: -1 })).toMatch(/spec.keepTagRevisions/);
    expect(refused({ ...ref, keepYoungerThan: "soon" })).toMatch(/spec.keepYoungerThan/);
    expect(refused({ registryRef: { name: "missing" } })).toMatch(
      /spec.registryRef.name: Registry .*\/missing does not exist/,
    );
    expect(refused({ registryRef: { name: "reg", namespace: other.name } })).toMatch(
      /spec.registryRef.namespace: must be this ImagePruner's namespace/,
    );
    expect(refused({ registryRef: { name: "reg" } }, other.name)).toMatch(
      /spec.registryRef.name: Registry .*\/reg does not exist/,
    );
  });

  it("renders its CronJob with the schedule, suspend flag and resources, and reports", async () => {
    const spec = {
      registryRef: { name: "reg" },
      schedule: SCHEDULE,
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
    };
    expect(apply(pruner("nightly", spec), ns.name).code).toBe(0);
    const ready = await waitForCondition(ns.name, "imagepruner", "nightly", {
      type: "Ready",
      status: "True",
      reason: "Scheduled",
    });
    expect(ready.message).toContain("prunes Registry");
    const cron = getJson<CronJob>(["-n", ns.name, "cronjob", "nightly"]);
    expect(cron.spec).toMatchObject({
      schedule: SCHEDULE,
      suspend: false,
      concurrencyPolicy: "Forbid",
    });
    expect(cron.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "ImagePruner", name: "nightly", controller: true }),
    ]);
    const [container] = cron.spec.jobTemplate.spec.template.spec.containers;
    expect(container.resources).toEqual(spec.resources);
    expect(container.command).toEqual(["node", "/etc/pruner/prune.js"]);
    // The program it runs.
    expect(
      kubectlOk(["-n", ns.name, "get", "configmap", "nightly-program", "-o", "name"]),
    ).toContain("nightly-program");
    const status = getJson<{
      status: { nextScheduleTime?: string; conditions: { type: string; status: string }[] };
    }>(["-n", ns.name, "imagepruner", "nightly"]).status;
    expect(Date.parse(status.nextScheduleTime ?? "")).toBeGreaterThan(Date.now());
    expect(status.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "Suspended", status: "False" })]),
    );
  });

  it("pauses the CronJob while suspended, and resumes it", async () => {
    patchPruner({ suspend: true });
    await waitForCondition(ns.name, "imagepruner", "nightly", {
      type: "Suspended",
      status: "True",
    });
    await eventually(
      () =>
        getJson<CronJob>(["-n", ns.name, "cronjob", "nightly"]).spec.suspend ? true : undefined,
      30_000,
      "the CronJob to be suspended",
    );
    patchPruner({ suspend: false });
    await eventually(
      () =>
        getJson<CronJob>(["-n", ns.name, "cronjob", "nightly"]).spec.suspend ? undefined : true,
      30_000,
      "the CronJob to resume",
    );
  });

  it("reads a finished run into its status, with an Event", async () => {
    // A run now, as the CronJob would start it (the local cluster's pods run no program and
    // report nothing: the status says so).
    kubectlOk(["-n", ns.name, "create", "job", "nightly-now", "--from=cronjob/nightly"]);
    const run = await eventually(
      () => {
        const s = getJson<{ status: { lastRun?: Record<string, unknown> } }>([
          "-n",
          ns.name,
          "imagepruner",
          "nightly",
        ]).status;
        return s.lastRun?.result === "Succeeded" ? s.lastRun : undefined;
      },
      60_000,
      "status.lastRun to say the run succeeded",
    );
    expect(run).toMatchObject({ job: "nightly-now", message: "the run reported nothing" });
    expect(Date.parse(String(run.startTime))).toBeGreaterThan(0);
    await eventually(
      () =>
        kubectlOk([
          "-n",
          ns.name,
          "get",
          "events",
          "--field-selector",
          "involvedObject.kind=ImagePruner,reason=PruneSucceeded",
          "-o",
          "name",
        ]).trim() || undefined,
      30_000,
      "the PruneSucceeded Event",
    );
  });

  it("collects garbage after that run, with the registry read-only until it ends", async () => {
    const config = () =>
      Buffer.from(
        getJson<{ data: Record<string, string> }>(["-n", ns.name, "secret", "reg-config"]).data[
          "config.yml"
        ],
        "base64",
      ).toString();
    // The Registry turns read-only (its pods roll), reports it, and only then the Job starts.
    await eventually(
      () => (config().includes("readonly") ? true : undefined),
      60_000,
      "read-only config",
    );
    const readOnly = (await waitForCondition(ns.name, "registry", "reg", {
      type: "ReadOnly",
      status: "True",
      reason: "GarbageCollection",
    })) as { lastTransitionTime?: string };
    const job = getJson<{
      spec: { suspend?: boolean; template: { spec: { containers: { args: string[] }[] } } };
    }>(["-n", ns.name, "job", "nightly-gc"]);
    expect(job.spec.template.spec.containers[0].args).toEqual([
      "garbage-collect",
      "/etc/distribution/config.yml",
    ]);
    const gc = await eventually(
      () => {
        const s = getJson<{ status: { lastGarbageCollection?: Record<string, string> } }>([
          "-n",
          ns.name,
          "imagepruner",
          "nightly",
        ]).status.lastGarbageCollection;
        return s?.result === "Succeeded" ? s : undefined;
      },
      90_000,
      "status.lastGarbageCollection to say it succeeded",
    );
    expect(gc.run).toBe("nightly-now");
    // The Job was held until every pod ran read-only: it started no earlier than that.
    const started = getJson<{ status: { startTime?: string } }>([
      "-n",
      ns.name,
      "job",
      "nightly-gc",
    ]).status.startTime;
    expect(Date.parse(started ?? "")).toBeGreaterThanOrEqual(
      Date.parse(readOnly.lastTransitionTime ?? "x"),
    );
    // Writable again, and no ReadOnly condition left.
    await eventually(
      () => (config().includes("readonly") ? undefined : true),
      60_000,
      "writable config",
    );
    await eventually(
      () =>
        getJson<{ status: { conditions: { type: string }[] } }>([
          "-n",
          ns.name,
          "registry",
          "reg",
        ]).status.conditions.some(c => c.type === "ReadOnly")
          ? undefined
          : true,
      30_000,
      "the ReadOnly condition to go",
    );
  });

  it("never runs a program or an account it does not own", async () => {
    kubectlOk(["-n", ns.name, "create", "configmap", "taken-program", "--from-literal=prune.js=1"]);
    expect(apply(pruner("taken", { registryRef: { name: "reg" } }), ns.name).code).toBe(0);
    const c = await waitForCondition(ns.name, "imagepruner", "taken", {
      type: "Ready",
      status: "False",
      reason: "NameTaken",
    });
    expect(c.message).toContain("ConfigMap taken-program exists and is not this pruner's");
    expect(kubectl(["-n", ns.name, "get", "cronjob", "taken"]).code).not.toBe(0);
    // The user's ConfigMap is left as it was.
    expect(
      getJson<{ metadata: { labels?: object; ownerReferences?: object[] } }>([
        "-n",
        ns.name,
        "configmap",
        "taken-program",
      ]).metadata,
    ).not.toHaveProperty("ownerReferences");
    kubectlOk(["-n", ns.name, "delete", "imagepruner", "taken"]);
  });

  it("puts back a CronJob edited by hand, and goes with its pruner", async () => {
    kubectlOk([
      "-n",
      ns.name,
      "patch",
      "cronjob",
      "nightly",
      "--type=merge",
      "-p",
      '{"spec":{"schedule":"0 0 2 1 *"}}',
    ]);
    await eventually(
      () =>
        getJson<CronJob>(["-n", ns.name, "cronjob", "nightly"]).spec.schedule === SCHEDULE
          ? true
          : undefined,
      30_000,
      "the schedule to be restored",
    );
    kubectlOk(["-n", ns.name, "delete", "imagepruner", "nightly", "--wait=true"]);
    await eventually(
      () =>
        kubectl(["-n", ns.name, "get", "cronjob", "nightly"]).code !== 0 &&
        kubectl(["-n", ns.name, "get", "configmap", "nightly-program"]).code !== 0
          ? true
          : undefined,
      60_000,
      "the CronJob and its program to go",
    );
  });
});
