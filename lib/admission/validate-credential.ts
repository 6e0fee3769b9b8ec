import { ImagePullSecretSchema, ImagePushSecretSchema } from "../api/credentials";
import type { RegistrySpec } from "../api/registry-spec";
import { allowedDescription, namespaceAllowed } from "../dependencies/auth/allowed";
import { formatIssues } from "./issues";
import { isObject } from "./merge";
import { verdict, type Verdict } from "./verdict";

export interface CredentialContext {
  kind: "ImagePullSecret" | "ImagePushSecret";
  /** The object's namespace. */
  namespace: string;
  /** The referenced Registry's spec; undefined when it does not exist. */
  registry?: { spec?: RegistrySpec };
  /** The object's namespace's labels, when the Registry selects namespaces by label. */
  namespaceLabels?: Record<string, string>;
}

/** Where a credential points: `spec.registryRef` with its namespace defaulted. */
export function registryRefOf(object: unknown, namespace: string) {
  const spec = isObject(object) && isObject(object.spec) ? object.spec : {};
  const ref = isObject(spec.registryRef) ? spec.registryRef : {};
  const name = typeof ref.name === "string" ? ref.name : undefined;
  const ns = typeof ref.namespace === "string" ? ref.namespace : namespace;
  return name ? { name, namespace: ns } : undefined;
}

/**
 * Checks an ImagePullSecret or ImagePushSecret. A Registry that does not exist yet is a warning
 * (applied in any order, the credential becomes Ready once it does); one that exists and does not
 * let this namespace in is refused.
 */
export function validateCredential(object: unknown, ctx: CredentialContext): Verdict {
  const spec = isObject(object) && isObject(object.spec) ? object.spec : {};
  if (ctx.kind === "ImagePushSecret" && spec.serviceAccounts !== undefined)
    return verdict([
      "spec.serviceAccounts: only an ImagePullSecret's Secret can be a ServiceAccount's pull secret; use an ImagePullSecret",
    ]);
  const schema = ctx.kind === "ImagePullSecret" ? ImagePullSecretSchema : ImagePushSecretSchema;
  const parsed = schema.safeParse(object);
  if (!parsed.success) return verdict([...new Set(formatIssues(parsed.error.issues))]);
  const ref = registryRefOf(object, ctx.namespace)!;
  const where = `Registry ${ref.namespace}/${ref.name}`;
  if (!ctx.registry)
    return verdict(
      [],
      [`spec.registryRef: ${where} does not exist (yet); Ready stays False until it does`],
    );
  const auth = ctx.registry.spec?.auth;
  if (!namespaceAllowed(auth, ref.namespace, ctx.namespace, ctx.namespaceLabels))
    return verdict([
      `spec.registryRef.namespace: ${where} does not let credentials in namespace ${ctx.namespace} hold accounts; it allows ${allowedDescription(auth, ref.namespace)}`,
    ]);
  return verdict([]);
}
