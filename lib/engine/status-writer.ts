import { K8s, type Gvk } from "../kube/client";
import { recordConditions } from "./metrics";
import {
  canonical,
  sameConditions,
  setConditions,
  type Condition,
  type DesiredCondition,
} from "./conditions";

interface WithStatus {
  metadata?: { name?: string; namespace?: string; generation?: number };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}

/**
 * Writes `observedGeneration` and the desired conditions to an object's status subresource — and
 * nothing at all when they already say that, so resyncs and the watch event a status write itself
 * causes do not turn into endless writes. An `extra` field set to null is removed (merge patch).
 * @returns whether a write was made
 */
export async function writeStatus(
  gvk: Gvk,
  obj: WithStatus,
  desired: DesiredCondition[],
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const generation = obj.metadata?.generation ?? 0;
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const conditions = setConditions(obj.status?.conditions, desired, generation, now);
  recordConditions(gvk.kind, obj.metadata?.namespace ?? "", obj.metadata?.name ?? "", conditions);
  const current = obj.status ?? {};
  const unchanged =
    current.observedGeneration === generation &&
    sameConditions(current.conditions, conditions) &&
    Object.entries(extra).every(
      ([k, v]) =>
        canonical((current as Record<string, unknown>)[k] ?? null) === canonical(v ?? null),
    );
  if (unchanged) return false;
  await K8s(gvk).PatchStatus({
    metadata: { name: obj.metadata?.name, namespace: obj.metadata?.namespace },
    status: { ...extra, observedGeneration: generation, conditions },
  });
  return true;
}
