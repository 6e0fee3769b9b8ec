import type { RegistrySpec } from "../api/registry-spec";
import type { ChildNames } from "../render/names";
import { ownerReference } from "../render/owner";
import { REDIS_PASSWORD_KEY } from "../render/redis";
import { getLive } from "./apply";
import { ensureGeneratedSecret } from "./generated-secret";

export interface RedisState {
  type: "RedisReady";
  ready: boolean;
  reason: string;
  message: string;
  /**
   * Redis is a cache: the registry serves without it (descriptors then come from storage). Only a
   * missing password Secret blocks, because the pods cannot start without it.
   */
  blocking: boolean;
}

const WITHOUT = "the registry serves meanwhile, reading blob descriptors from storage";

/**
 * Prepares and reports the Redis a Registry uses: the managed one's generated password Secret and
 * its StatefulSet's readiness, or an external one's password Secret. Never reads a password out.
 */
export async function redisReadiness(
  spec: RegistrySpec,
  names: ChildNames,
  namespace: string,
  labels: Record<string, string>,
  owner: ReturnType<typeof ownerReference>,
): Promise<RedisState | undefined> {
  const state = (
    ready: boolean,
    reason: string,
    message: string,
    blocking = false,
  ): RedisState => ({
    type: "RedisReady",
    ready,
    reason,
    message,
    blocking,
  });
  if (spec.redis?.managed) {
    await ensureGeneratedSecret(names.redis, REDIS_PASSWORD_KEY, namespace, labels, owner);
    const sts = (await getLive("apps/v1", "StatefulSet", namespace, names.redis)) as
      | { status?: { readyReplicas?: number } }
      | undefined;
    return (sts?.status?.readyReplicas ?? 0) > 0
      ? state(true, "ManagedReady", `Managed Redis ${names.redis} is ready.`)
      : state(
          false,
          "ManagedStarting",
          `Managed Redis ${names.redis} is not ready yet; ${WITHOUT}.`,
        );
  }
  const ext = spec.redis?.external;
  if (!ext) return undefined;
  const ref = ext.passwordSecretRef;
  if (ref) {
    const key = ref.key ?? REDIS_PASSWORD_KEY;
    const secret = (await getLive("v1", "Secret", namespace, ref.name)) as
      | { data?: Record<string, string> }
      | undefined;
    if (!secret?.data?.[key])
      return state(
        false,
        "SecretNotFound",
        `Secret ${ref.name} with key ${key} (spec.redis.external.passwordSecretRef) not found; the pods cannot start until it exists.`,
        true,
      );
  }
  return state(true, "External", `Using the external Redis at ${ext.addrs.join(", ")}.`);
}
