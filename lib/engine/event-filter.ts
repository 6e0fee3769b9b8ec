interface Watched {
  metadata?: { generation?: number };
  status?: { observedGeneration?: number };
}

/**
 * Whether a watch event of a Registry or a Cache can call for a reconcile. A deletion does not
 * (owner references remove the children), and neither does a modification that left the spec
 * where the status says it was reconciled: that is the echo of the operator's own status write.
 * Changes of children and the periodic resync requeue through their own paths.
 */
export function needsReconcile(obj: Watched, phase: string): boolean {
  if (phase === "DELETED") return false;
  if (phase !== "MODIFIED") return true;
  return obj.metadata?.generation !== obj.status?.observedGeneration;
}
