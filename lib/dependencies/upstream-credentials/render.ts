import type { CacheSpec } from "../../api/cache-spec";
import type { EnvVar } from "../../kubernetes/objects";

/** Env reading the upstream credentials from the user's Secret: they never enter the config. */
export function proxyCredentialsEnv(spec: CacheSpec): EnvVar[] {
  const ref = spec.credentialsSecretRef;
  if (!ref) return [];
  const from = (key: string): EnvVar["valueFrom"] => ({ secretKeyRef: { name: ref.name, key } });
  return [
    { name: "REGISTRY_PROXY_USERNAME", valueFrom: from(ref.usernameKey ?? "username") },
    { name: "REGISTRY_PROXY_PASSWORD", valueFrom: from(ref.passwordKey ?? "password") },
  ];
}
