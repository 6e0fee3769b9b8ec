import type { RegistrySpec } from "../api/registry-spec";
import type { DesiredCondition } from "../reconcile/conditions";

export interface DeploymentState {
  generation?: number;
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export interface Observed {
  spec: RegistrySpec;
  deployment?: DeploymentState;
  /** Ready endpoints behind the Service, from its EndpointSlices. */
  readyEndpoints: number;
  storage: { ready: boolean; reason: string; message: string };
  url: string;
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

/** What a Registry's status says, from what was observed (no I/O). */
export function registryStatus(o: Observed): RegistryStatusFields {
  const want = o.spec.replicas ?? 1;
  const d = o.deployment ?? {};
  const ready = d.readyReplicas ?? 0;
  const progressing = d.conditions?.find(c => c.type === "Progressing");
  const deadline = progressing?.reason === "ProgressDeadlineExceeded";
  const rolling =
    !!o.deployment &&
    ((d.observedGeneration ?? 0) < (d.generation ?? 0) ||
      (d.updatedReplicas ?? 0) < want ||
      ready < want) &&
    !deadline;

  const available = o.readyEndpoints > 0;
  const conditions: DesiredCondition[] = [
    cond("StorageReady", o.storage.ready, o.storage.reason, o.storage.message),
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
        ? cond("Progressing", true, "RollingOut", `${ready} of ${want} replicas ready.`)
        : cond("Progressing", false, "Complete", `${ready} of ${want} replicas ready.`),
    deadline
      ? cond("Degraded", true, "ProgressDeadlineExceeded", "The rollout did not finish in time.")
      : cond("Degraded", false, "AsExpected", "No failure observed."),
  ];
  const isReady = o.storage.ready && available && !deadline && want > 0;
  let reason = "Ready";
  let message = `Serving at ${o.url}.`;
  if (!isReady) {
    reason =
      want === 0
        ? "ScaledToZero"
        : !o.storage.ready
          ? "StorageNotReady"
          : deadline
            ? "Degraded"
            : "NotAvailable";
    message =
      want === 0
        ? "replicas is 0."
        : !o.storage.ready
          ? o.storage.message
          : deadline
            ? "The rollout did not finish in time."
            : "No ready registry pod yet.";
  }
  conditions.unshift(cond("Ready", isReady, reason, message));
  return { conditions, replicas: want, readyReplicas: ready, url: o.url, image: o.spec.image };
}
