import type { CacheSpec } from "../../api/cache-spec";
import type { Dependency, Observe, Reader } from "../dependency";

/** A user's Secret is not watched: while it is missing or incomplete, look again this often. */
const CREDENTIALS_POLL_MS = 5_000;

/** `UpstreamCredentialsReady` of a Cache's spec. */
export const upstreamCredentials =
  (spec: CacheSpec): Observe =>
  async ({ namespace }, read) => {
    const state = await observeCredentials(spec, namespace, read);
    return state.ready ? state : { ...state, recheckMs: CREDENTIALS_POLL_MS };
  };

/** Whether the upstream credentials the pods read exist; never reads out the values. */
async function observeCredentials(
  spec: CacheSpec,
  namespace: string,
  read: Reader,
): Promise<Dependency> {
  const type = "UpstreamCredentialsReady";
  const ref = spec.credentialsSecretRef;
  if (!ref)
    return {
      type,
      ready: true,
      reason: "Anonymous",
      message: "The upstream is pulled without credentials.",
    };
  const data = await read.data("Secret", namespace, ref.name);
  if (!data)
    return {
      type,
      ready: false,
      reason: "SecretNotFound",
      message: `Secret ${ref.name} (spec.credentialsSecretRef) not found; the cache pods cannot start until it exists.`,
    };
  const missing = [ref.usernameKey ?? "username", ref.passwordKey ?? "password"].filter(
    k => !data[k],
  );
  if (missing.length)
    return {
      type,
      ready: false,
      reason: "KeyMissing",
      message: `Secret ${ref.name} has no ${missing.join(" or ")} key.`,
    };
  return { type, ready: true, reason: "Found", message: `Credentials from Secret ${ref.name}.` };
}
