import type { RegistrySpec } from "../../api/registry-spec";
import type { Dependency } from "../dependency";

/** How often a required Redis that answers is asked again: its outage holds the registry. */
const REQUIRED_RECHECK_MS = 10_000;

/**
 * When to reconcile again for Redis' sake: soon while it is unusable (nothing the operator
 * watches says when it recovers), every few seconds while a required one is fine.
 */
export function redisRecheckMs(
  spec: RegistrySpec,
  state: Dependency | undefined,
  pollMs: number,
): number | undefined {
  if (!state) return undefined;
  if (!state.ready) return pollMs;
  return spec.redis?.required ? REQUIRED_RECHECK_MS : undefined;
}
