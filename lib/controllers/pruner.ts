import { nextRun } from "../api/fields/cron";
import { GVK, type ImagePruner } from "../api/kinds";
import { PRUNER_OWNER_LABEL } from "../api/labels";
import type { LiveObject } from "../kubernetes/objects";
import {
  DEFAULT_PRUNER,
  ImagePrunerSpec,
  type GarbageCollection,
  type PruneRun,
} from "../api/pruner";
import type { RegistrySpec } from "../api/registry-spec";
import type { DesiredCondition } from "../api/status";
import { servesTls } from "../dependencies/tls/serving";
import { serviceHost } from "../render/names";
import { childNames } from "../render/names";
import {
  PRUNE_COMPONENT,
  prunerNames,
  renderPruner,
  type PrunerTarget,
} from "../render/pruner/cronjob";
import { ownerReference } from "../render/owner";
import { API_VERSION } from "../api/group";
import { finishedRun, runOf, type RunJob } from "../render/pruner/run";
import { gcJob, gcJobName, jobFinished, type PodTemplate } from "../render/pruner/gc-job";
import { CONFIG_PATH, registryVersion } from "../api/version";
import { storageDriver } from "../dependencies/storage/index";
import type { KubeObject } from "../kubernetes/objects";
import { client } from "../engine/kinds";
import { cachedChildren } from "../engine/child-cache";
import { getLive } from "../engine/apply";
import { controller, type Plan } from "../engine/pipeline";
import { findRegistry } from "../kube/registry-lookup";
import { registryPlan } from "./registry";
import { RENDER_ANNOTATIONS } from "../api/annotations";

interface Observation {
  /** The Registry's resolved spec and whether it asks for logins; undefined when it is gone. */
  registry?: { spec: RegistrySpec; needsLogin: boolean };
  /** Why nothing runs although the Registry exists (it is Removed, a name is someone else's). */
  blocked?: { reason: string; message: string };
  cronJob?: LiveObject;
  /** The newest run, when it differs from what the status says. */
  lastRun?: PruneRun;
  gc: GcObservation;
}

/** Garbage collection after a run that deleted something. */
interface GcObservation {
  /** The run whose deletions are to be collected, while that is still to be done. */
  due?: string;
  /** A run whose deletions are not collected, and why. */
  skipped?: { run: string; why: string };
  /** The GC Job, when it exists. */
  job?: JobLike;
  /** The Registry reports that every pod runs read-only. */
  registryReadOnly: boolean;
  /** What the Job copies of the registry: its pod, config path, whether to share its node. */
  registry?: { pod: PodTemplate; configPath: string; sameNode: boolean };
}

/** A GC Job held this long while the registry does not turn read-only is given up. */
const GC_WAIT_MS = 15 * 60_000;
/** While garbage collection is under way, look again this often (the Registry is not watched). */
const GC_POLL_MS = 5_000;
const RUN_ANNOTATION = RENDER_ANNOTATIONS.run;

type JobLike = LiveObject & {
  metadata: { annotations?: Record<string, string> };
  spec?: { suspend?: boolean; template?: unknown };
  status?: {
    startTime?: string;
    completionTime?: string;
    succeeded?: number;
    failed?: number;
    conditions?: { type: string; status: string; message?: string; lastTransitionTime?: string }[];
  };
};

const nameOf = (p: ImagePruner) => ({
  namespace: p.metadata!.namespace!,
  name: p.metadata!.name!,
});

/** Where the pruner reaches its registry: its Service, with the CA it publishes. */
function target(
  registry: string,
  namespace: string,
  spec: RegistrySpec,
  needsLogin: boolean,
): PrunerTarget {
  const names = childNames(registry);
  const tls = servesTls(spec);
  return {
    registry,
    url: `${tls ? "https" : "http"}://${serviceHost({ spec, names, namespace })}`,
    ...(tls ? { caConfigMap: names.caBundle } : {}),
    needsLogin,
  };
}

/** The newest Job of the pruner and what its pod reported (read once per finished Job). */
async function newestRun(
  namespace: string,
  name: string,
  known?: PruneRun,
): Promise<PruneRun | undefined> {
  const jobs = (cachedChildren("batch/v1", "Job", namespace, {
    [PRUNER_OWNER_LABEL]: name,
    "app.kubernetes.io/name": PRUNE_COMPONENT,
  }) ?? []) as JobLike[];
  const newest = jobs.sort((a, b) =>
    String(b.metadata.creationTimestamp ?? "").localeCompare(
      String(a.metadata.creationTimestamp ?? ""),
    ),
  )[0];
  if (!newest) return undefined;
  const s = newest.status ?? {};
  const failed = s.conditions?.find(c => c.type === "Failed" && c.status === "True");
  const job: RunJob = {
    name: newest.metadata.name,
    startTime: s.startTime ?? String(newest.metadata.creationTimestamp ?? ""),
    // A failed Job has no completionTime: its Failed condition says when.
    completionTime: s.completionTime ?? failed?.lastTransitionTime,
    succeeded: s.succeeded,
    failed: !!failed,
    failedMessage: failed?.message,
  };
  const run = runOf(job);
  if (known?.job === run.job && known.result === run.result) return undefined;
  if (run.result === "Running") return run;
  // The pod's termination message: the program's summary (or, failing that, its last log lines).
  const pods = await client("v1", "Pod")
    .InNamespace(namespace)
    .WithLabel("job-name", job.name)
    .Get();
  type PodLike = {
    status?: { containerStatuses?: { state?: { terminated?: { message?: string } } }[] };
  };
  const report = (pods.items as PodLike[])
    .map(p => p.status?.containerStatuses?.[0]?.state?.terminated?.message)
    .find(m => m);
  return finishedRun(job, report);
}

/**
 * Why the pruner must not run although its Registry exists: the Registry is Removed (nothing
 * serves), or a ConfigMap or ImagePushSecret of the names its program and account take is
 * someone else's — a CronJob mounting a program it does not own would run that with the
 * registry's login. Asked directly: an object without the operator's label is not in memory.
 */
async function blockers(
  namespace: string,
  name: string,
  registry: RegistrySpec,
  needsLogin: boolean,
): Promise<Observation["blocked"]> {
  if (registry.managementState === "Removed")
    return {
      reason: "RegistryRemoved",
      message: "The Registry's managementState is Removed: nothing serves, so nothing runs.",
    };
  const names = prunerNames(name);
  const taken = [
    ["v1", "ConfigMap", names.program],
    ["batch/v1", "Job", gcJobName(name)],
    ...(needsLogin ? [[API_VERSION, "ImagePushSecret", names.login]] : []),
  ];
  for (const [apiVersion, kind, child] of taken) {
    const live = await getLive(apiVersion, kind, namespace, child);
    const labels = live?.metadata.labels ?? {};
    if (live && labels[PRUNER_OWNER_LABEL] !== name)
      return {
        reason: "NameTaken",
        message: `${kind} ${child} exists and is not this pruner's: nothing runs until it is renamed or deleted (the pruner's ${kind === "ConfigMap" ? "program" : kind === "Job" ? "garbage collection" : "account"} takes that name).`,
      };
  }
  return undefined;
}

/** Why a registry's storage is not collected, or undefined when it is. */
function uncollectable(spec: RegistrySpec): string | undefined {
  if (spec.storage?.emptyDir)
    return "emptyDir storage: only the registry's pod sees it, and a read-only window's rollouts would empty it; its space comes back when the pod is replaced.";
  if (spec.storage?.filesystem?.accessModes?.includes("ReadWriteOncePod"))
    return "a ReadWriteOncePod claim: no second pod can mount it to collect.";
  if (spec.replicas === 0 && !spec.autoscaling)
    return "the registry is scaled to zero: nothing runs to turn read-only (collect by hand while it is down).";
  // Registry 2.8 to 3.1 keep blob descriptors in Redis after collection deletes the blobs: pushes
  // then skip uploading blobs that are gone (distribution#4269).
  if (spec.redis?.managed || spec.redis?.external)
    return "the registry caches blob descriptors in Redis, which garbage collection does not clear: pushes after it could skip blobs it deleted.";
  return undefined;
}

/** The GC Job while it is due and not finished or given up: held until the registry is read-only. */
function collection(resource: ImagePruner, gc: GcObservation): KubeObject[] {
  const { namespace, name } = nameOf(resource);
  const run = gc.due ?? gc.job?.metadata.annotations?.[RUN_ANNOTATION];
  const givenUp = (j: JobLike) => !gc.registryReadOnly && gcGivenUp(j);
  if (!run || !gc.registry || (gc.job && (jobFinished(gc.job) || givenUp(gc.job)))) return [];
  // One of an earlier run still unfinished: it goes first.
  if (gc.job && gc.job.metadata.annotations?.[RUN_ANNOTATION] !== run) return [];
  const job = gcJob({
    pruner: name,
    namespace,
    uid: resource.metadata!.uid!,
    registry: resource.spec!.registryRef.name,
    registryPod: gc.registry.pod,
    configPath: gc.registry.configPath,
    // Made held; lifted once the Registry reports every pod read-only (with this Job existing,
    // so the report is about this window); once started it runs to its end.
    suspend: !gc.job || (!gc.registryReadOnly && (gc.job.spec?.suspend ?? true)),
    sameNode: gc.registry.sameNode,
  });
  // The pod template is fixed when the Job is made (the registry's changes as it turns
  // read-only); later passes only lift `suspend`.
  if (gc.job?.spec?.template)
    job.spec = { ...(job.spec as Record<string, unknown>), template: gc.job.spec.template };
  job.metadata.annotations = { [RUN_ANNOTATION]: run };
  return [job];
}

/** `status.lastGarbageCollection` as this pass leaves it (nothing when unchanged). */
function garbageCollection(resource: ImagePruner, gc: GcObservation) {
  if (gc.skipped)
    return resource.status?.lastGarbageCollection?.run === gc.skipped.run
      ? {}
      : {
          lastGarbageCollection: {
            run: gc.skipped.run,
            result: "Skipped" as const,
            message: gc.skipped.why,
          },
        };
  const prev = resource.status?.lastGarbageCollection;
  const run = gc.job?.metadata.annotations?.[RUN_ANNOTATION] ?? gc.due;
  if (!run) {
    // The Job went (its TTL) before its end was seen.
    const open = prev && (prev.result === "Running" || prev.result === "WaitingForReadOnly");
    return open && !gc.job
      ? {
          lastGarbageCollection: {
            ...prev,
            result: "Failed" as const,
            message: "The Job was deleted before the operator saw it end.",
          },
        }
      : {};
  }
  // Nothing is made while the registry's pod spec is unknown (or the pruner blocked).
  if (!gc.job && !gc.registry) return {};
  const job = gc.job?.metadata.annotations?.[RUN_ANNOTATION] === run ? gc.job : undefined;
  const status = (job?.status ?? {}) as JobLike["status"] & {};
  const failed = status.conditions?.find(c => c.type === "Failed" && c.status === "True");
  const last: GarbageCollection = !job
    ? { run, result: "WaitingForReadOnly", message: "Turning the registry read-only." }
    : status.succeeded
      ? { run, result: "Succeeded", completionTime: status.completionTime }
      : failed
        ? {
            run,
            result: "Failed",
            completionTime: failed.lastTransitionTime,
            message: failed.message,
          }
        : !gc.registryReadOnly && gcGivenUp(job)
          ? {
              run,
              result: "TimedOut",
              message:
                "The registry did not turn read-only within 15 minutes; collection skipped, the registry is writable again.",
            }
          : job.spec?.suspend
            ? {
                run,
                result: "WaitingForReadOnly",
                message: "Waiting for every registry pod to run read-only.",
              }
            : { run, result: "Running", message: "Collecting with the registry read-only." };
  return prev && JSON.stringify(prev) === JSON.stringify(last)
    ? {}
    : { lastGarbageCollection: last };
}

/** A GC Job still held after GC_WAIT_MS: the registry did not turn read-only. */
const gcGivenUp = (job: JobLike) =>
  !!job.spec?.suspend &&
  Date.now() - (Date.parse(String(job.metadata.creationTimestamp ?? "")) || Date.now()) >
    GC_WAIT_MS;

/** An ImagePruner: its program, its CronJob, its account on a registry with logins. */
export const prunerPlan: Plan<ImagePruner, ImagePrunerSpec, Observation> = {
  gvk: GVK.ImagePruner,
  owner: { label: PRUNER_OWNER_LABEL },
  resolve: p => ImagePrunerSpec.safeParse(p.spec ?? {}).data,
  retained: () => [],

  async observe(resource, spec) {
    const { namespace, name } = nameOf(resource);
    const found = await findRegistry(namespace, spec.registryRef.name, "reconcile");
    const resolved = found ? registryPlan.resolve(found) : undefined;
    const needsLogin = !!found?.status?.conditions?.some(c => c.type === "AuthReady");
    const lastRun = await newestRun(namespace, name, resource.status?.lastRun);
    const latest = lastRun ?? resource.status?.lastRun;
    // A run that deleted something (or did not say) and was not collected yet.
    const collectable =
      latest?.result === "Succeeded" &&
      !latest.dryRun &&
      !spec.dryRun &&
      latest.deletedManifests !== 0 &&
      resource.status?.lastGarbageCollection?.run !== latest.job;
    const skip = collectable && resolved ? uncollectable(resolved) : undefined;
    const due = collectable && !skip ? latest.job : undefined;
    const job = (await getLive("batch/v1", "Job", namespace, gcJobName(name))) as
      | JobLike
      | undefined;
    const deployment =
      resolved && (due || job)
        ? ((await getLive("apps/v1", "Deployment", namespace, spec.registryRef.name)) as
            | (LiveObject & { spec?: { template?: PodTemplate } })
            | undefined)
        : undefined;
    return {
      registry: resolved ? { spec: resolved, needsLogin } : undefined,
      blocked: resolved ? await blockers(namespace, name, resolved, needsLogin) : undefined,
      cronJob: await getLive("batch/v1", "CronJob", namespace, name),
      lastRun,
      gc: {
        due,
        skipped: skip && latest ? { run: latest.job, why: skip } : undefined,
        job,
        registryReadOnly: !!found?.status?.conditions?.some(
          c => c.type === "ReadOnly" && c.status === "True",
        ),
        registry:
          resolved && deployment?.spec?.template
            ? {
                pod: deployment.spec.template,
                configPath: CONFIG_PATH[registryVersion(resolved.image ?? "").format],
                sameNode: storageDriver(resolved).driver.singleWriter(resolved),
              }
            : undefined,
      },
    };
  },

  render(resource, { registry, blocked, gc }) {
    const { namespace, name } = nameOf(resource);
    const spec = prunerPlan.resolve(resource)!;
    const uid = resource.metadata!.uid!;
    return {
      // A pruner without its registry (or blocked) runs nothing.
      objects:
        registry && !blocked
          ? renderPruner({
              name,
              namespace,
              uid,
              spec,
              target: target(spec.registryRef.name, namespace, registry.spec, registry.needsLogin),
            }).concat(collection(resource, gc))
          : [],
      generated: [],
      retired: [],
      ownerReference: ownerReference(name, uid, "ImagePruner"),
      liveInputs: [],
    };
  },

  async afterApply(_resource, { gc }) {
    // Given up: the registry did not turn read-only in time; deleting it turns it writable again.
    // A finished one of an earlier run makes way for the next (a Job's pod cannot change).
    const earlier = gc.job && gc.due && gc.job.metadata.annotations?.[RUN_ANNOTATION] !== gc.due;
    // Never one this pass lifted (the registry reports read-only): it runs to its end.
    const givenUp =
      !jobFinished(gc.job ?? {}) && !gc.registryReadOnly && gc.job && gcGivenUp(gc.job);
    if (gc.job && (givenUp || (earlier && jobFinished(gc.job))))
      await client("batch/v1", "Job")
        .InNamespace(gc.job.metadata.namespace ?? "")
        .Delete(gc.job.metadata.name);
    return [];
  },

  async report(resource, { registry, blocked, cronJob, lastRun, gc }, applyFailures) {
    const spec = prunerPlan.resolve(resource)!;
    const schedule = spec.schedule ?? DEFAULT_PRUNER.schedule;
    const suspended = spec.suspend ?? false;
    const registryName = `Registry ${resource.metadata!.namespace}/${spec.registryRef.name}`;
    const next = suspended || !registry || blocked ? undefined : nextRun(schedule, new Date());
    const ready: DesiredCondition = blocked
      ? { type: "Ready", status: "False", ...blocked }
      : !registry
        ? {
            type: "Ready",
            status: "False",
            reason: "RegistryNotFound",
            message: `${registryName} does not exist: nothing runs until it does.`,
          }
        : applyFailures.length
          ? {
              type: "Ready",
              status: "False",
              reason: "ApplyFailed",
              message: applyFailures.join("; "),
            }
          : {
              type: "Ready",
              status: "True",
              reason: suspended ? "Suspended" : "Scheduled",
              message: `CronJob ${resource.metadata!.name} prunes ${registryName} on "${schedule}"${next ? `; next run ${next.toISOString().replace(/\.\d+Z$/, "Z")}` : ""}${spec.dryRun ? " (dry run: nothing is deleted)" : ""}.`,
            };
    const cron = (cronJob?.status ?? {}) as {
      lastScheduleTime?: string;
      lastSuccessfulTime?: string;
    };
    return {
      conditions: [
        ready,
        suspended
          ? {
              type: "Suspended",
              status: "True",
              reason: "Suspended",
              message:
                "spec.suspend: no run starts until it is unset (a run in progress finishes).",
            }
          : {
              type: "Suspended",
              status: "False",
              reason: "Scheduled",
              message: `Runs on "${schedule}".`,
            },
      ],
      fields: {
        lastScheduleTime: cron.lastScheduleTime,
        lastSuccessfulTime: cron.lastSuccessfulTime,
        // null removes it (a merge patch): no next run while suspended or blocked.
        nextScheduleTime: next ? next.toISOString().replace(/\.\d+Z$/, "Z") : null,
        ...(lastRun ? { lastRun } : {}),
        ...garbageCollection(resource, gc),
      },
      // The next run's time moves on; a registry that appears is not watched.
      recheckMs:
        gc.due || (gc.job && !jobFinished(gc.job)) ? GC_POLL_MS : registry ? undefined : 30_000,
      // A run that ended (read once): its Event goes with the status that records it.
      events:
        lastRun && lastRun.result !== "Running"
          ? [
              {
                type: lastRun.result === "Succeeded" ? "Normal" : "Warning",
                reason: lastRun.result === "Succeeded" ? "PruneSucceeded" : "PruneFailed",
                message: `Job ${lastRun.job}: ${lastRun.message ?? lastRun.result}`,
              },
            ]
          : [],
    };
  },
};

const pruners = controller(prunerPlan);
export const { reconcile: reconcilePruner, enqueue: enqueuePruner } = pruners;
