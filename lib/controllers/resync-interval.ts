/**
 * How often every object of ours is re-checked: REGISTRY_OPERATOR_RESYNC_SECONDS (default 60; at
 * least 10, so a typo cannot turn it into a request storm).
 */
export function resyncMs(value = process.env.REGISTRY_OPERATOR_RESYNC_SECONDS): number {
  const seconds = Number(value);
  return value !== undefined && Number.isFinite(seconds) && seconds >= 10 ? seconds * 1000 : 60_000;
}
