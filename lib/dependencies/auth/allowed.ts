import { selectorMatches } from "../../api/fields/label-selector";
import type { RegistrySpec } from "../../api/registry-spec";

type Auth = RegistrySpec["auth"];

/**
 * Whether a credential in `namespace` may hold an account on a registry in `registryNamespace`:
 * its own namespace always; those `auth.managedPullSecrets` selects; others as
 * `auth.allowedNamespaces` says (`labels` are the namespace's, see `needsNamespaceLabels`).
 */
export function namespaceAllowed(
  auth: Auth,
  registryNamespace: string,
  namespace: string,
  labels?: Record<string, string>,
): boolean {
  if (namespace === registryNamespace) return true;
  // Namespaces the registry hands pull secrets to hold those accounts.
  const managed = auth?.managedPullSecrets?.namespaceSelector;
  if (managed && labels && selectorMatches(managed, labels)) return true;
  const allowed = auth?.allowedNamespaces;
  switch (allowed?.from ?? "Same") {
    case "All":
      return true;
    case "Selector":
      return allowed?.selector !== undefined && selectorMatches(allowed.selector, labels);
    default:
      return false;
  }
}

/** Whether deciding for `namespace` needs its labels. */
export const needsNamespaceLabels = (auth: Auth, registryNamespace: string, namespace: string) =>
  namespace !== registryNamespace &&
  (auth?.allowedNamespaces?.from === "Selector" || auth?.managedPullSecrets !== undefined);

/** What `auth.allowedNamespaces` lets in, for messages. */
export function allowedDescription(auth: Auth, registryNamespace: string): string {
  switch (auth?.allowedNamespaces?.from ?? "Same") {
    case "All":
      return "every namespace";
    case "Selector":
      return `namespace ${registryNamespace} and namespaces matching spec.auth.allowedNamespaces.selector`;
    default:
      return `only namespace ${registryNamespace} (spec.auth.allowedNamespaces not set)`;
  }
}

/** `namespaceAllowed`, reading the namespace's labels through `labelsOf` only when they matter. */
export async function namespaceLetIn(
  auth: Auth,
  registryNamespace: string,
  namespace: string,
  labelsOf: (namespace: string) => Promise<Record<string, string> | undefined>,
): Promise<boolean> {
  const labels = needsNamespaceLabels(auth, registryNamespace, namespace)
    ? await labelsOf(namespace)
    : undefined;
  return namespaceAllowed(auth, registryNamespace, namespace, labels);
}
