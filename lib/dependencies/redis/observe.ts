import type { RedisTls } from "../../api/registry-spec";
import type { Dependency, Observe, ObserveContext, Reader } from "../dependency";
import { REDIS_CA_KEY, REDIS_PASSWORD_KEY, redisTlsOn } from "./render";
import { redisRecheckMs } from "./recheck";

/** An unusable Redis: look again this often (nothing the operator watches says it recovered). */
const UNUSABLE_POLL_MS = 5_000;

/**
 * `RedisReady`, when the spec names a Redis: it closes the health gate while unusable (which
 * holds the registry only when required) and says when to look again.
 */
export const observeRedis: Observe = async (ctx, read) => {
  const state = await redisReadiness(ctx, read);
  return (
    state && {
      ...state,
      gate: "redis",
      recheckMs: redisRecheckMs(ctx.spec, state, UNUSABLE_POLL_MS),
    }
  );
};

const DEGRADED = "the registry serves meanwhile, reading blob descriptors from storage";
const HELD = "the registry reports itself unhealthy (503) until then, as spec.redis.required asks";

/** The CA bundle `tls` names, as text; undefined when it names none, null when it is missing. */
async function caBundle(
  tls: RedisTls,
  namespace: string,
  read: Reader,
): Promise<string | undefined | null> {
  const ref = tls.caSecretRef ?? tls.caConfigMapRef;
  if (!ref) return undefined;
  const kind = tls.caSecretRef ? "Secret" : "ConfigMap";
  return (await read.data(kind, namespace, ref.name))?.[ref.key ?? REDIS_CA_KEY] || null;
}

/**
 * `RedisReady` of the Redis a Registry uses: the managed one's StatefulSet readiness, or whether
 * an external one accepts the registry's password. Never reads a password out. Redis is a cache:
 * the registry serves without it, so only a missing password Secret or CA blocks (the pods cannot
 * start without it).
 */
async function redisReadiness(
  { spec, names, namespace }: ObserveContext,
  read: Reader,
): Promise<Dependency | undefined> {
  const meanwhile = spec.redis?.required ? HELD : DEGRADED;
  const state = (
    ready: boolean,
    reason: string,
    message: string,
    blocking = false,
  ): Dependency => ({
    type: "RedisReady",
    ready,
    reason,
    message,
    blocking,
  });
  if (spec.redis?.managed) {
    const sts = (await read.object("apps/v1", "StatefulSet", namespace, names.redis)) as
      | { status?: { readyReplicas?: number } }
      | undefined;
    return (sts?.status?.readyReplicas ?? 0) > 0
      ? state(true, "ManagedReady", `Managed Redis ${names.redis} is ready.`)
      : state(
          false,
          "ManagedStarting",
          `Managed Redis ${names.redis} is not ready yet; ${meanwhile}.`,
        );
  }
  const ext = spec.redis?.external;
  if (!ext) return undefined;
  const ref = ext.passwordSecretRef;
  let password: string | undefined;
  if (ref) {
    const key = ref.key ?? REDIS_PASSWORD_KEY;
    password = (await read.data("Secret", namespace, ref.name))?.[key];
    if (!password)
      return state(
        false,
        "SecretNotFound",
        `Secret ${ref.name} with key ${key} (spec.redis.external.passwordSecretRef) not found; the pods cannot start until it exists.`,
        true,
      );
  }
  const where = ext.addrs.join(", ");
  // Sentinels and Cluster nodes answer differently from the server the registry ends up using.
  if (ext.addrs.length > 1 || ext.masterName)
    return state(
      true,
      "External",
      `Using the external Redis at ${where} (not probed: Sentinel or Cluster).`,
    );
  const tls = redisTlsOn(ext.tls) ? ext.tls : undefined;
  const ca = tls ? await caBundle(tls, namespace, read) : undefined;
  if (ca === null) {
    const ref = (tls!.caSecretRef ?? tls!.caConfigMapRef)!;
    const kind = tls!.caSecretRef ? "Secret" : "ConfigMap";
    return state(
      false,
      "CANotFound",
      `${kind} ${ref.name} with key ${ref.key ?? REDIS_CA_KEY} (spec.redis.external.tls) not found; the pods cannot start until it exists.`,
      true,
    );
  }
  // The registry does not report a Redis it cannot use: it logs and serves from storage. Ask Redis.
  const ping = await read.pingRedis(ext.addrs[0], password, tls ? { ca } : undefined);
  if (ping.ok)
    return state(
      true,
      "External",
      `The external Redis at ${where} accepts the registry's credentials.`,
    );
  const what = {
    Unreachable: `cannot reach the external Redis at ${where} from the operator (${ping.detail})`,
    TLSFailed: `no TLS connection to the external Redis at ${where}: ${ping.detail}`,
    AuthFailed: `the external Redis at ${where} refused the password from Secret ${ref?.name}: ${ping.detail}`,
    NotServing: `the external Redis at ${where} answers PING with an error: ${ping.detail}`,
    AuthRequired: `the external Redis at ${where} requires a password; set spec.redis.external.passwordSecretRef`,
  }[ping.reason];
  return state(false, ping.reason, `${what}; ${meanwhile}.`);
}
