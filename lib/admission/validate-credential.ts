import { ImagePullSecretSchema, ImagePushSecretSchema } from "../api/credentials";
import type { RegistrySpec } from "../api/registry-spec";
import { allowedDescription, namespaceAllowed } from "../dependencies/auth/allowed";
import { formatIssues } from "./issues";
import { childNames } from "../render/names";
import { isObject } from "./merge";
import { verdict, type Verdict } from "./verdict";

// A credential's Secret has its name: one named like a Secret a Registry makes (`<registry>-tls`,
// `<registry>-htpasswd`, …) could take that Secret's place, and the Registry's pods mount it.
const REGISTRY_SECRET_SUFFIXES = (() => {
  const n = childNames("x");
  return [
    n.config,
    n.httpSecret,
    n.htpasswd,
    n.tls,
    n.tlsCa,
    n.redis,
    n.bucketCredentials,
    n.cosiCredentials,
  ].map(s => s.slice(1));
})();

function nameProblems(object: unknown): string[] {
  const meta = isObject(object) && isObject(object.metadata) ? object.metadata : {};
  const name = typeof meta.name === "string" ? meta.name : "";
  // A Registry's name has no dot, so neither has any Secret it makes (nor is a managed pull
  // secret, <registry>.<namespace>, ever one of them).
  const suffix = name.includes(".")
    ? undefined
    : REGISTRY_SECRET_SUFFIXES.find(s => name.endsWith(s));
  return suffix
    ? [
        `metadata.name: ends in "${suffix}", as a Registry's own Secrets do, and names the Secret it gets; choose a name that cannot be one of theirs`,
      ]
    : [];
}

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
  const named = nameProblems(object);
  if (named.length) return verdict(named);
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
