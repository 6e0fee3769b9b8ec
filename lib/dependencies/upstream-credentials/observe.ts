import type { CacheSpec } from "../../api/cache-spec";
import type { Dependency, Reader } from "../dependency";

/** Whether the upstream credentials the pods read exist; never reads out the values. */
export async function observeCredentials(
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
