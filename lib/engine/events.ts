import { randomBytes } from "node:crypto";
import { Log } from "pepr";
import { client } from "./kinds";
import { describeError } from "../kube/errors";

export interface Involved {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

/**
 * Records a Kubernetes Event on an object (`kubectl describe` and `kubectl get events` show it).
 * Messages name objects and reasons, never secret values. Failing to record is logged, not thrown:
 * an event is a courtesy, not part of the desired state.
 */
export async function recordEvent(
  obj: Involved,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
): Promise<void> {
  const now = new Date();
  const ns = obj.metadata?.namespace ?? "default";
  try {
    await client("v1", "Event").Create({
      metadata: { name: `${obj.metadata?.name}.${randomBytes(8).toString("hex")}`, namespace: ns },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata?.name,
        namespace: ns,
        uid: obj.metadata?.uid,
        resourceVersion: obj.metadata?.resourceVersion,
      },
      type,
      reason,
      message: message.slice(0, 1024),
      source: { component: "registry-operator" },
      reportingComponent: "registry-operator.dev/operator",
      reportingInstance: process.env.HOSTNAME ?? "registry-operator",
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  } catch (err) {
    Log.warn(
      `could not record event ${reason} on ${obj.kind} ${ns}/${obj.metadata?.name}: ${describeError(err)}`,
    );
  }
}
