import type { DesiredCondition, Rollback } from "../../api/status";
import type { PodTrouble } from "./pod-trouble";
import { deadlineExceeded, type DeploymentState } from "./registry-status";

/**
 * The rollback in force: one made while the spec asked for the image it still asks for. Any
 * other change of the spec keeps it (the failed image is not tried again on a change of
 * replicas, nor when a Removed workload is created again); a new image, or removing
 * status.rollback, ends it.
 */
export function rollbackInForce(
  rollback: Rollback | undefined,
  image: string | undefined,
): Rollback | undefined {
  return rollback && rollback.from === image ? rollback : undefined;
}

/**
 * Why the rollout of an image that has not proven healthy yet failed: its Deployment passed the
 * progress deadline, or its pods crash-loop (no need to wait out the deadline). Undefined while
 * it has not failed. An image that was healthy and now fails is not a failed rollout: the pod
 * trouble is reported as it is.
 */
export function rolloutFailure(
  running: string,
  lastHealthyImage: string | undefined,
  deployment: DeploymentState | undefined,
  trouble: PodTrouble | undefined,
): string | undefined {
  if (running === lastHealthyImage) return undefined;
  const why = trouble ? `; ${trouble.message.replace(/\.$/, "")}` : "";
  if (deadlineExceeded(deployment))
    return `the rollout did not finish within its progress deadline${why}`;
  if (trouble?.reason === "CrashLoopBackOff") return `its pods crash-loop${why}`;
  return undefined;
}

export interface RollbackInput {
  /** The image the spec asks for. */
  wanted: string;
  generation: number;
  lastHealthyImage?: string;
  autoRollback: boolean;
  inForce?: Rollback;
  /** Why the rollout of `wanted` failed (rolloutFailure), if it did. */
  failure?: string;
  now: string;
}

export interface RollbackVerdict {
  /** status.rollback: the one in force, a new one, or null (none). */
  rollback: Rollback | null;
  /** The Degraded condition it calls for, replacing the one the rollout alone would give. */
  degraded?: DesiredCondition;
  /** A rollback made now: its Event message, and the image must be rendered again. */
  performed?: string;
}

const degraded = (reason: string, message: string): DesiredCondition => ({
  type: "Degraded",
  status: "True",
  reason,
  message,
});

const inForceMessage = (r: Rollback) =>
  `Rolled back from ${r.from} to ${r.to}: ${r.reason}. ${r.from} is not tried again until spec.image changes.`;

/** What a failed rollout leads to: a rollback to the last healthy image, or a failure that stays. */
export function rollbackVerdict(i: RollbackInput): RollbackVerdict {
  if (i.inForce)
    return {
      rollback: i.inForce,
      degraded: degraded("RollbackPerformed", inForceMessage(i.inForce)),
    };
  if (!i.failure) return { rollback: null };
  const failed = `The rollout of ${i.wanted} failed: ${i.failure}.`;
  if (!i.autoRollback)
    return {
      rollback: null,
      degraded: degraded(
        "RolloutFailed",
        `${failed} upgrade.autoRollback is false: it stays until the spec changes.`,
      ),
    };
  if (!i.lastHealthyImage)
    return {
      rollback: null,
      degraded: degraded(
        "RolloutFailed",
        `${failed} No image has been healthy yet, so there is none to roll back to.`,
      ),
    };
  const rollback: Rollback = {
    from: i.wanted,
    to: i.lastHealthyImage,
    generation: i.generation,
    reason: i.failure,
    at: i.now,
  };
  const message = inForceMessage(rollback);
  return { rollback, degraded: degraded("RollbackPerformed", message), performed: message };
}
