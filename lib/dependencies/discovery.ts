import type { Dependency, Reader } from "./dependency";

/** Look again this often for CRDs not installed yet: installing them reports no event to us. */
export const DISCOVERY_RECHECK_MS = 30_000;

/**
 * The kinds the API server serves in `apiVersion`, or — when it could not be asked — the
 * non-blocking condition `type` saying so: discovery failing is no reason to hold up a reconcile.
 */
export async function servedOrUnknown(
  read: Reader,
  apiVersion: string,
  type: string,
): Promise<{ served: Set<string> } | { unknown: Dependency }> {
  try {
    return { served: await read.servedKinds(apiVersion) };
  } catch (err) {
    return {
      unknown: {
        type,
        ready: false,
        reason: "DiscoveryFailed",
        message: `Could not ask the API server whether it serves ${apiVersion}: ${String(err)}; asking again within 30 s.`,
        blocking: false,
        recheckMs: DISCOVERY_RECHECK_MS,
      },
    };
  }
}
