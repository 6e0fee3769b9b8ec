import type { RegistrySpec } from "../../api/registry-spec";
import type { DesiredCondition } from "../../api/status";
import type { Dependency } from "../../dependencies/dependency";
import { STORAGE_READY } from "../../dependencies/storage/driver";
import { storageDriver } from "../../dependencies/storage/index";
import type { PodTrouble } from "./pod-trouble";

export interface DeploymentState {
  generation?: number;
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

/**
 * Whether the Deployment's current template passed its progress deadline. Its status is trusted
 * only once it describes the current generation: a template just applied still carries the
 * verdict on the one before.
 */
export function deadlineExceeded(d: DeploymentState | undefined): boolean {
  const current = (d?.observedGeneration ?? 0) >= (d?.generation ?? 0);
  return (
    current &&
    !!d?.conditions?.some(c => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded")
  );
}

export interface Observed {
  spec: RegistrySpec;
  deployment?: DeploymentState;
  /** Ready endpoints behind the Service, from its EndpointSlices. */
  readyEndpoints: number;
  storage: Pick<Dependency, "ready" | "reason" | "message">;
  url: string;
  /** Children that could not be applied, each `Kind/name: reason`. */
  applyFailures: string[];
  /**
   * Further things serving depends on (a cache's upstream credentials, Redis): each is a condition,
   * and blocks Ready unless `blocking` is false (the registry works without it, degraded).
   */
  dependencies?: Dependency[];
  /** Why pods that should be ready by now are not (a crash loop, an image pull, scheduling). */
  podTrouble?: PodTrouble;
}

export interface RegistryStatusFields {
  conditions: DesiredCondition[];
  replicas: number;
  readyReplicas: number;
  url: string;
  image?: string;
}

const cond = (type: string, ok: boolean, reason: string, message: string): DesiredCondition => ({
  type,
  status: ok ? "True" : "False",
  reason,
  message,
});

/** What the status of a Registry or a Cache says of the registry server it runs, from what was observed (no I/O). */
export function registryStatus(o: Observed): RegistryStatusFields {
  const want = o.spec.replicas ?? 1;
  const failure = o.applyFailures.length ? `Could not apply ${o.applyFailures.join("; ")}` : "";
  const d = o.deployment ?? {};
  const ready = d.readyReplicas ?? 0;
  const progressing = d.conditions?.find(c => c.type === "Progressing");
  const deadline = deadlineExceeded(d);
  const rolling =
    !!o.deployment &&
    ((d.observedGeneration ?? 0) < (d.generation ?? 0) ||
      (d.updatedReplicas ?? 0) < want ||
      // Pods of the previous template still run (a surge pod not yet scaled away).
      (d.replicas ?? 0) > (d.updatedReplicas ?? 0) ||
      ready < want) &&
    !deadline;

  const available = o.readyEndpoints > 0;
  const conditions: DesiredCondition[] = [
    cond(STORAGE_READY, o.storage.ready, o.storage.reason, o.storage.message),
    available
      ? cond(
          "Available",
          true,
          "EndpointsReady",
          `${o.readyEndpoints} ready endpoint(s) behind the Service.`,
        )
      : cond(
          "Available",
          false,
          o.deployment ? "NoReadyEndpoints" : "NoWorkload",
          "No ready registry pod behind the Service.",
        ),
    deadline
      ? cond(
          "Progressing",
          false,
          "ProgressDeadlineExceeded",
          progressing?.message ?? "The rollout did not finish in time.",
        )
      : rolling
        ? storageDriver(o.spec).driver.singleWriter(o.spec) && (d.generation ?? 1) > 1
          ? cond(
              "Progressing",
              true,
              "RecreatingPods",
              `${ready} of ${want} replicas ready. Rolled out with downtime: the claim mounts on one pod at a time (ReadWriteOnce), so the old pod stops before its replacement starts.`,
            )
          : cond("Progressing", true, "RollingOut", `${ready} of ${want} replicas ready.`)
        : cond("Progressing", false, "Complete", `${ready} of ${want} replicas ready.`),
    failure
      ? cond("Degraded", true, "ApplyFailed", failure)
      : o.podTrouble
        ? cond("Degraded", true, o.podTrouble.reason, o.podTrouble.message)
        : deadline
          ? cond(
              "Degraded",
              true,
              "ProgressDeadlineExceeded",
              "The rollout did not finish in time.",
            )
          : cond("Degraded", false, "AsExpected", "No failure observed."),
    ...(o.dependencies ?? []).map(dep => cond(dep.type, dep.ready, dep.reason, dep.message)),
  ];
  // Ready, or the first reason it is not.
  const blockers: [boolean, string, string][] = [
    [!!failure, "ApplyFailed", failure],
    [want === 0, "ScaledToZero", "replicas is 0."],
    [!o.storage.ready, "StorageNotReady", o.storage.message],
    ...(o.dependencies ?? []).map(
      dep =>
        [!dep.ready && dep.blocking !== false, dep.reason, dep.message] as [
          boolean,
          string,
          string,
        ],
    ),
    [!available && !!o.podTrouble, o.podTrouble?.reason ?? "", o.podTrouble?.message ?? ""],
    // Past its deadline with the old pods all serving (maxUnavailable 0), it is still Ready.
    [deadline && ready < want, "Degraded", "The rollout did not finish in time."],
    [!available, "NotAvailable", "No ready registry pod yet."],
  ];
  const blocker = blockers.find(([applies]) => applies);
  conditions.unshift(
    blocker
      ? cond("Ready", false, blocker[1], blocker[2])
      : cond("Ready", true, "Ready", `Serving at ${o.url}.`),
  );
  return { conditions, replicas: want, readyReplicas: ready, url: o.url, image: o.spec.image };
}
