/** A registry pod as far as its troubles show: scheduling and its containers' states. */
export interface PodState {
  metadata: { name: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec?: { containers?: { name: string; image?: string }[] };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      restartCount?: number;
      state?: { waiting?: { reason?: string; message?: string } };
      lastState?: { terminated?: { reason?: string; exitCode?: number } };
    }[];
  };
}

/** Why the registry's pods do not become ready: the condition reason and a message naming the pod. */
export interface PodTrouble {
  reason: string;
  message: string;
}

const trimmed = (message: string) => message.trim().replace(/\.$/, "");

/** Waiting reasons that do not pass by themselves (seed 001's troubleshooting table). */
const STUCK = [
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
];

/**
 * The first pod trouble that explains unready replicas, among pods at least `graceMs` old and not
 * terminating: a container stuck waiting (crash loop,
 * image pull, bad config), else a pod the scheduler cannot place (its message names the cause: an
 * unbound claim, taints, resources). Undefined when none of the pods shows one.
 */
export function podTrouble(all: PodState[], graceMs = 0, now = Date.now()): PodTrouble | undefined {
  // Pods going away (an old ReplicaSet's) and pods still within their grace are not blamed.
  const pods = all.filter(
    p =>
      !p.metadata.deletionTimestamp &&
      now - (Date.parse(p.metadata.creationTimestamp ?? "") || 0) >= graceMs,
  );
  for (const pod of pods)
    for (const c of pod.status?.containerStatuses ?? []) {
      const waiting = c.state?.waiting;
      if (!waiting?.reason || !STUCK.includes(waiting.reason)) continue;
      const last = c.lastState?.terminated;
      const exited =
        last && waiting.reason === "CrashLoopBackOff"
          ? ` (exit code ${last.exitCode ?? "?"}${last.reason ? `, ${last.reason}` : ""}; ${c.restartCount ?? 0} restarts; see kubectl logs --previous)`
          : "";
      return {
        reason: waiting.reason,
        message: `Pod ${pod.metadata.name}, container ${c.name}: ${waiting.reason}${waiting.message ? `: ${trimmed(waiting.message)}` : ""}${exited}.`,
      };
    }
  for (const pod of pods) {
    const scheduled = pod.status?.conditions?.find(c => c.type === "PodScheduled");
    if (scheduled?.status === "False")
      return {
        reason: "Unschedulable",
        message: `Pod ${pod.metadata.name} cannot be scheduled: ${trimmed(scheduled.message ?? scheduled.reason ?? "no reason given")}.`,
      };
  }
  return undefined;
}
