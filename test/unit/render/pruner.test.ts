import { cronProblem, nextRun } from "../../../lib/api/fields/cron";
import { planPrune, type FoundRepository } from "../../../lib/render/pruner/plan";
import { renderPruner } from "../../../lib/render/pruner/cronjob";
import { pruneScript } from "../../../lib/render/pruner/program";
import { validatePruner } from "../../../lib/admission/validate-pruner";
import { finishedRun } from "../../../lib/render/pruner/run";
import { gcJob, type PodTemplate } from "../../../lib/render/pruner/gc-job";
import type { KubeObject } from "../../../lib/kubernetes/objects";
import { renderRegistryOf } from "../../support/render";

describe("cron schedules", () => {
  it.each([
    "0 0 * * *",
    "*/15 * * * *",
    "0 2 * * 1-5",
    "30 4 1,15 * *",
    "0 0 * jan,jul sun",
    "5/10 0-23/2 ? * *",
    "@daily",
    "@hourly",
    "@every 6h",
    "@every 1h30m",
    "@every 1.5h",
  ])("accepts %s", s => expect(cronProblem(s)).toBeUndefined());

  it.each([
    ["0 0 * *", /must have 5 fields/],
    ["60 * * * *", /minute "60": out of range 0-59/],
    ["* 24 * * *", /hour "24": out of range/],
    ["* * 0 * *", /day of month "0": out of range 1-31/],
    ["* * * 13 *", /month "13"/],
    ["* * * * 8", /day of week "8"/],
    ["*/0 * * * *", /a step is/],
    ["a * * * *", /minute "a": not a number/],
    ["5-1 * * * *", /out of range/],
    ["TZ=UTC 0 0 * * *", /time zone/],
    ["@every banana", /@every takes a positive duration/],
    ["@every 0s", /@every takes a positive duration/],
    ["@every 6", /@every takes a positive duration/],
  ])("refuses %s", (s, why) => expect(cronProblem(s)).toMatch(why));

  it("says when it runs next (UTC)", () => {
    const at = new Date("2026-12-01T10:07:30Z");
    expect(nextRun("0 0 * * *", at)?.toISOString()).toBe("2026-12-02T00:00:00.000Z");
    expect(nextRun("*/15 * * * *", at)?.toISOString()).toBe("2026-12-01T10:15:00.000Z");
    expect(nextRun("@hourly", at)?.toISOString()).toBe("2026-12-01T11:00:00.000Z");
    // 2026-12-01 is a Tuesday: the next Monday 02:00.
    expect(nextRun("0 2 * * mon", at)?.toISOString()).toBe("2026-12-07T02:00:00.000Z");
    expect(nextRun("0 0 31 2 *", at)).toBeUndefined();
    expect(nextRun("@every 1h", at)).toBeUndefined();
  });
});

const HOUR = 3600_000;
const NOW = Date.parse("2026-12-01T12:00:00Z");

/** A repository: tags pointing at single images, aged in hours, plus a multi-arch index. */
function repository(): FoundRepository {
  const image = (d: string, blobs: Record<string, number>) => ({ digest: d, children: [], blobs });
  return {
    name: "team/app",
    tags: [
      ...[1, 2, 3, 4, 5, 6].map(i => ({
        tag: `v${i}`,
        digest: `sha256:m${i}`,
        created: NOW - (7 - i) * 24 * HOUR,
      })),
      // The index is the oldest, and its tag goes: its children go with it.
      { tag: "multi-old", digest: "sha256:idx-old", created: NOW - 30 * 24 * HOUR },
      // A newer index shares a child with the old one: that child stays.
      { tag: "multi", digest: "sha256:idx", created: NOW - 1 * HOUR },
      // Another tag on the newest image: it goes with nothing (the image is kept).
      { tag: "alias-v6", digest: "sha256:m6", created: NOW - 1 * 24 * HOUR },
    ],
    manifests: {
      ...Object.fromEntries(
        [1, 2, 3, 4, 5, 6].map(i => [
          `sha256:m${i}`,
          image(`sha256:m${i}`, { [`sha256:l${i}`]: 100 * i, "sha256:base": 1000 }),
        ]),
      ),
      "sha256:idx-old": {
        digest: "sha256:idx-old",
        children: ["sha256:amd-old", "sha256:arm"],
        blobs: {},
      },
      "sha256:idx": { digest: "sha256:idx", children: ["sha256:amd", "sha256:arm"], blobs: {} },
      "sha256:amd-old": image("sha256:amd-old", { "sha256:la-old": 7 }),
      "sha256:amd": image("sha256:amd", { "sha256:la": 8 }),
      "sha256:arm": image("sha256:arm", { "sha256:lr": 9 }),
    },
  };
}

describe("planPrune", () => {
  it("keeps the newest tags and the young ones; deletes the rest with what only they reach", () => {
    const plan = planPrune([repository()], {
      keepTagRevisions: 3,
      keepYoungerThanMs: 2 * HOUR,
      now: NOW,
    });
    // Kept: multi (1 h, young and newest), v6 and alias-v6 (newest after it).
    expect(plan.deletedTags.sort()).toEqual(
      [
        "team/app:multi-old",
        "team/app:v1",
        "team/app:v2",
        "team/app:v3",
        "team/app:v4",
        "team/app:v5",
      ].sort(),
    );
    expect(plan.keptShared).toEqual([]);
    const deleted = plan.deletions.map(d => d.digest);
    // The old index before its own child; the shared child stays.
    expect(deleted).toContain("sha256:idx-old");
    expect(deleted).toContain("sha256:amd-old");
    expect(deleted.indexOf("sha256:idx-old")).toBeLessThan(deleted.indexOf("sha256:amd-old"));
    expect(deleted).not.toContain("sha256:arm");
    expect(deleted).not.toContain("sha256:idx");
    expect(deleted).not.toContain("sha256:m6");
    // Freed: the layers of v1-v5 and the old amd64 layer; the shared base layer stays.
    expect(plan.bytes).toBe(100 + 200 + 300 + 400 + 500 + 7);
  });

  it("never deletes an image a kept tag names, even through another tag", () => {
    const repo = repository();
    repo.tags.push({ tag: "old-alias", digest: "sha256:m6", created: NOW - 100 * 24 * HOUR });
    const plan = planPrune([repo], { keepTagRevisions: 3, keepYoungerThanMs: 0, now: NOW });
    expect(plan.keptShared).toEqual(["team/app:old-alias"]);
    expect(plan.deletions.map(d => d.digest)).not.toContain("sha256:m6");
  });

  it("never ranks images built at the same time apart (reproducible builds): they stay together", () => {
    const FIXED = Date.parse("2020-01-01T00:00:00Z");
    const image = (d: string) => ({ digest: d, children: [], blobs: { [`sha256:l-${d}`]: 1 } });
    const repo: FoundRepository = {
      name: "app",
      tags: ["1.0", "1.1", "1.2", "1.3", "latest"].map(tag => ({
        tag,
        digest: tag === "latest" ? "sha256:1.3" : `sha256:${tag}`,
        created: FIXED,
      })),
      manifests: Object.fromEntries(
        ["1.0", "1.1", "1.2", "1.3"].map(v => [`sha256:${v}`, image(`sha256:${v}`)]),
      ),
    };
    const plan = planPrune([repo], { keepTagRevisions: 3, keepYoungerThanMs: 0, now: NOW });
    expect(plan.deletedTags).toEqual([]);
    // An older build among them still goes.
    repo.tags.push({ tag: "0.9", digest: "sha256:0.9", created: FIXED - 24 * HOUR });
    repo.manifests["sha256:0.9"] = image("sha256:0.9");
    expect(
      planPrune([repo], { keepTagRevisions: 3, keepYoungerThanMs: 0, now: NOW }).deletedTags,
    ).toEqual(["app:0.9"]);
  });

  it("keeps images whose build time is unknown (none, the year 1, 1970)", () => {
    const repo = repository();
    for (const [tag, created] of [
      ["sig", Date.parse("0001-01-01T00:00:00Z")],
      ["epoch", 0],
    ] as const)
      repo.tags.push({ tag, digest: "sha256:m1", created });
    const plan = planPrune([repo], { keepTagRevisions: 1, keepYoungerThanMs: 0, now: NOW });
    // v1 shares its image with them: it stays too (as a shared one).
    expect(plan.deletions.map(d => d.digest)).not.toContain("sha256:m1");
    expect(plan.deletedTags).not.toContain("team/app:sig");
  });

  it("keeps everything younger than keepYoungerThan, whatever keepTagRevisions says", () => {
    const plan = planPrune([repository()], {
      keepTagRevisions: 0,
      keepYoungerThanMs: 100 * 24 * HOUR,
      now: NOW,
    });
    expect(plan.deletions).toEqual([]);
  });
});

describe("the pruner's CronJob", () => {
  const render = (spec: object, target = {}) =>
    renderPruner({
      name: "nightly",
      namespace: "ns",
      uid: "u",
      spec: { registryRef: { name: "reg" }, ...spec },
      target: {
        registry: "reg",
        url: "https://reg.ns.svc:5000",
        caConfigMap: "reg-ca",
        needsLogin: false,
        ...target,
      },
    });
  const kind = (objects: KubeObject[], k: string) => objects.find(o => o.kind === k)!;

  it("runs the program on the schedule, one run at a time, as restricted pods", () => {
    const objects = render({
      schedule: "0 3 * * *",
      suspend: true,
      resources: { limits: { memory: "256Mi" } },
    });
    type Pod = {
      securityContext: object;
      containers: {
        command: string[];
        resources: object;
        securityContext: object;
        env: { name: string; value: string }[];
      }[];
    };
    const cron = kind(objects, "CronJob") as KubeObject & {
      spec: { jobTemplate: { spec: { template: { spec: Pod } } } };
    };
    expect(cron.spec).toMatchObject({
      schedule: "0 3 * * *",
      suspend: true,
      concurrencyPolicy: "Forbid",
    });
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const [c] = pod.containers;
    expect(c.command).toEqual(["node", "/etc/pruner/prune.js"]);
    expect(c.resources).toMatchObject({ limits: { memory: "256Mi" } });
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    expect(
      Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value])),
    ).toMatchObject({
      REGISTRY_URL: "https://reg.ns.svc:5000",
      KEEP_TAG_REVISIONS: "3",
      KEEP_YOUNGER_THAN_SECONDS: "3600",
      DRY_RUN: "false",
      NODE_EXTRA_CA_CERTS: "/etc/pruner-ca/ca.crt",
    });
    expect(cron.metadata).toMatchObject({
      ownerReferences: [{ kind: "ImagePruner", name: "nightly" }],
    });
    expect(kind(objects, "ConfigMap")).toMatchObject({ data: { "prune.js": pruneScript() } });
    expect(objects.some(o => o.kind === "ImagePushSecret")).toBe(false);
  });

  it("gets an account on a registry with logins", () => {
    const objects = render({}, { needsLogin: true });
    expect(kind(objects, "ImagePushSecret")).toMatchObject({
      metadata: { name: "nightly-pruner" },
      spec: { registryRef: { name: "reg" } },
    });
  });

  it("ships a program that needs nothing but Node.js", () => {
    // Its text parses on its own (no imports, no helpers from the bundle).
    expect(() => new Function("require", "process", pruneScript())).not.toThrow();
    expect(pruneScript()).not.toMatch(/\brequire\("(?!node:fs")/);
  });
});

describe("ImagePruner admission", () => {
  const pruner = (spec: object, name = "nightly") => ({
    apiVersion: "registry-operator.dev/v1alpha1",
    kind: "ImagePruner",
    metadata: { name },
    spec: { registryRef: { name: "reg" }, ...spec },
  });
  const problems = (spec: object, exists = true, name?: string) =>
    validatePruner(pruner(spec, name), { namespace: "ns", registryExists: exists }).problems;

  it("refuses bad input, naming the field", () => {
    expect(problems({ schedule: "every day" })[0]).toMatch(
      /^spec.schedule: not a cron schedule: must have 5 fields/,
    );
    expect(problems({ keepTagRevisions: -1 })[0]).toMatch(
      /^spec.keepTagRevisions: must be at least 0/,
    );
    expect(problems({ keepYoungerThan: "a week" })[0]).toMatch(
      /^spec.keepYoungerThan: must be a duration/,
    );
    expect(problems({ successfulJobsHistoryLimit: -2 })[0]).toMatch(
      /^spec.successfulJobsHistoryLimit/,
    );
    expect(problems({ registryRef: { name: "reg", namespace: "other" } })[0]).toMatch(
      /^spec.registryRef.namespace: must be this ImagePruner's namespace \(ns\)/,
    );
    expect(problems({}, false)[0]).toBe(
      "spec.registryRef.name: Registry ns/reg does not exist; create it first",
    );
    expect(problems({}, true, "x".repeat(53))[0]).toMatch(/^metadata.name: at most 52 characters/);
    expect(problems({ schedule: "*/5 * * * *", dryRun: true })).toEqual([]);
  });

  it("warns about settings that delete everything, or never run", () => {
    const warnings = (spec: object) =>
      validatePruner(pruner(spec), { namespace: "ns", registryExists: true }).warnings;
    expect(warnings({ keepTagRevisions: 0, keepYoungerThan: "0s" })[0]).toMatch(
      /^spec.keepTagRevisions: 0 with keepYoungerThan 0 deletes every tag/,
    );
    expect(warnings({ schedule: "0 0 30 2 *" })[0]).toMatch(
      /^spec.schedule: "0 0 30 2 \*" never comes/,
    );
    expect(warnings({ schedule: "@every 6h", keepTagRevisions: 0 })).toEqual([]);
  });

  it("lets a pruner whose registry went be edited (suspended), with a warning", () => {
    const v = validatePruner(pruner({ suspend: true }), {
      namespace: "ns",
      registryExists: false,
      previousRegistry: "reg",
    });
    expect(v.allowed).toBe(true);
    expect(v.warnings[0]).toMatch(/no longer exists/);
  });
});

describe("a run's report, read back", () => {
  const job = {
    name: "nightly-1",
    succeeded: 1,
    failed: false,
    startTime: "t0",
    completionTime: "t1",
  };
  const summary = {
    dryRun: false,
    repositories: 2,
    tags: 9,
    deletedTags: ["a:v1", "a:v2"],
    deletedManifests: 3,
    keptShared: [],
    bytes: 1234,
    errors: [],
  };

  it("carries the program's counts", () => {
    expect(finishedRun(job, JSON.stringify(summary))).toEqual({
      job: "nightly-1",
      result: "Succeeded",
      startTime: "t0",
      completionTime: "t1",
      dryRun: false,
      repositories: 2,
      tags: 9,
      deletedTags: 2,
      deletedManifests: 3,
      bytes: 1234,
      errors: 0,
      message: "deleted a:v1, a:v2",
    });
    expect(finishedRun(job, JSON.stringify({ ...summary, dryRun: true })).message).toBe(
      "would delete a:v1, a:v2",
    );
  });

  it("says what failed: the program's errors, its last words, or the Job's", () => {
    const failed = { ...job, succeeded: 0, failed: true, failedMessage: "BackoffLimitExceeded" };
    expect(
      finishedRun(failed, JSON.stringify({ ...summary, errors: ["DELETE …: HTTP 405"] })),
    ).toMatchObject({ result: "Failed", errors: 1, message: "errors: DELETE …: HTTP 405" });
    expect(finishedRun(failed, "TypeError: fetch failed")).toMatchObject({
      result: "Failed",
      message: "TypeError: fetch failed",
    });
    expect(finishedRun(failed, undefined).message).toBe("BackoffLimitExceeded");
  });
});

describe("garbage collection", () => {
  const registry = renderRegistryOf({
    name: "reg",
    namespace: "ns",
    uid: "u",
    spec: { image: "registry:3.0.0", storage: { filesystem: { size: "1Gi" } } },
  });
  const deployment = registry.objects.find(o => o.kind === "Deployment") as KubeObject & {
    spec: { template: PodTemplate };
  };
  const job = (suspend: boolean, sameNode = true) =>
    gcJob({
      pruner: "nightly",
      namespace: "ns",
      uid: "u",
      registry: "reg",
      registryPod: deployment.spec.template,
      configPath: "/etc/distribution/config.yml",
      suspend,
      sameNode,
    }) as KubeObject & { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("runs the registry's own pod with garbage-collect, never --delete-untagged", () => {
    const j = job(true);
    expect(j.spec.suspend).toBe(true);
    const pod = j.spec.template.spec;
    expect(pod.restartPolicy).toBe("Never");
    const [c] = pod.containers;
    expect(c.args).toEqual(["garbage-collect", "/etc/distribution/config.yml"]);
    expect(JSON.stringify(j)).not.toContain("delete-untagged");
    expect(c).not.toHaveProperty("readinessProbe");
    expect(c).not.toHaveProperty("lifecycle");
    // The same image, env, mounts and volumes as the registry's container.
    const reg = (deployment.spec.template.spec.containers as Record<string, unknown>[])[0];
    expect([c.image, c.env, c.volumeMounts]).toEqual([reg.image, reg.env, reg.volumeMounts]);
    expect(pod.volumes).toEqual(deployment.spec.template.spec.volumes);
    // Labelled for the Registry (its events requeue it), owned by the pruner.
    expect(j.metadata.labels).toMatchObject({ "registry-operator.dev/registry": "reg" });
    expect(j.metadata).toMatchObject({
      ownerReferences: [{ kind: "ImagePruner", name: "nightly" }],
    });
  });

  it("runs where a ReadWriteOnce claim is mounted: beside the registry's pod", () => {
    expect(job(false).spec.template.spec.affinity.podAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: {
            matchLabels: {
              "app.kubernetes.io/name": "registry",
              "app.kubernetes.io/instance": "reg",
            },
          },
          topologyKey: "kubernetes.io/hostname",
        },
      ],
    });
    expect(job(false, false).spec.template.spec).not.toHaveProperty("affinity");
  });

  it("turns the registry read-only while it is due", () => {
    const config = (readOnly: boolean) =>
      renderRegistryOf({ name: "reg", namespace: "ns", uid: "u", spec: {}, readOnly }).configYaml;
    expect(config(true)).toMatch(/readonly:\n\s+enabled: true/);
    expect(config(false)).not.toContain("readonly");
  });
});
