import type { LiveObject } from "../kubernetes/objects";
import { listOwned } from "../engine/children";
import type { RenderContext } from "../render/context";
import { podTrouble, type PodState, type PodTrouble } from "../render/status/pod-trouble";
import { deadlineExceeded, type DeploymentState } from "../render/status/registry-status";

/** Pods get this long to become ready before the operator looks at why they are not. */
export const POD_GRACE_MS = 20_000;
/** Pods are not watched: while some are unready, look again this often. */
const POD_POLL_MS = 30_000;

/** The registry server's own pods (the agent and Redis pods carry the owner's label too). */
export async function registryPods(
  { name, namespace, labels }: Pick<RenderContext, "name" | "namespace" | "labels">,
  ownerLabel: string,
) {
  const pods = await listOwned<LiveObject & PodState>(
    "v1",
    "Pod",
    namespace,
    { label: ownerLabel },
    name,
  );
  return pods.filter(
    p => p.metadata.labels?.["app.kubernetes.io/name"] === labels["app.kubernetes.io/name"],
  );
}

/**
 * Why the registry's pods are not ready (or a rollout's new ones), once its Deployment has
 * had POD_GRACE_MS to make them so (a fresh Registry converging is never asked about: no read),
 * from pods at least that old
 * (one of a rollout just started is not blamed for pulling its image), and when to look again.
 */
export async function registryPodTrouble(
  { name, namespace, labels, spec }: RenderContext,
  ownerLabel: string,
  deployment:
    | { metadata: { creationTimestamp?: string; generation?: number }; status?: DeploymentState }
    | undefined,
  now = Date.now(),
): Promise<{ trouble?: PodTrouble; rolloutTrouble?: PodTrouble; recheckMs?: number }> {
  const want = spec.replicas ?? 1;
  const d = deployment?.status ?? {};
  // A rollout is looked into even while the old pods serve: its new pods may crash-loop, or say
  // why it passed its deadline.
  const rollingOut =
    (d.replicas ?? 0) > (d.updatedReplicas ?? 0) ||
    deadlineExceeded({ ...d, generation: deployment?.metadata.generation });
  if (!deployment || want === 0 || ((d.readyReplicas ?? 0) >= want && !rollingOut)) return {};
  const age = now - (Date.parse(deployment.metadata.creationTimestamp ?? "") || 0);
  if (age < POD_GRACE_MS) return { recheckMs: POD_GRACE_MS - age + 500 };
  let mine;
  try {
    mine = await registryPods({ name, namespace, labels }, ownerLabel);
  } catch {
    // Only a diagnosis: the status is written without it, and it is asked for again.
    return { recheckMs: POD_POLL_MS };
  }
  // Pods of the image being rolled out: only theirs can fail the rollout.
  const rolling = mine.filter(p =>
    p.spec?.containers?.some(c => c.name === "registry" && c.image === spec.image),
  );
  return {
    trouble: podTrouble(mine, POD_GRACE_MS, now),
    rolloutTrouble: podTrouble(rolling, POD_GRACE_MS, now),
    recheckMs: POD_POLL_MS,
  };
}
