import type { Registry } from "../api/kinds";
import { enqueueCredentialsOf } from "./credentials";
import { enqueueManagedPullSecrets } from "./managed-pull-secrets";
import { trackNamespaceSelector } from "./namespace-selectors";

/**
 * What hangs on a Registry beyond its children, requeued on each of its events: the credentials
 * on it (its address, CA or allowed namespaces may have changed, or it is gone), the pull secrets
 * it keeps in other namespaces, and whether it selects namespaces by label. `registry` is
 * undefined once it is deleted.
 */
export function requeueDependents(namespace: string, name: string, registry?: Registry): void {
  enqueueCredentialsOf(namespace, name);
  enqueueManagedPullSecrets(namespace, name, !!registry?.spec?.auth?.managedPullSecrets);
  trackNamespaceSelector(namespace, name, registry);
}
