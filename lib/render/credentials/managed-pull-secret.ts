import { API_VERSION } from "../../api/group";
import { MANAGED_BY, MANAGED_PULL_SECRET_LABELS } from "../../api/labels";
import type { RegistrySpec } from "../../api/registry-spec";

type Managed = NonNullable<NonNullable<RegistrySpec["auth"]>["managedPullSecrets"]>;

/** The name of the ImagePullSecret a Registry keeps in each namespace it selects. */
export const managedPullSecretName = (registry: string, registryNamespace: string) =>
  `${registry}.${registryNamespace}`;

/** The ImagePullSecret a Registry (`spec.auth.managedPullSecrets`) keeps in `namespace`. */
export function managedPullSecret(
  registry: { name: string; namespace: string },
  managed: Managed,
  namespace: string,
) {
  return {
    apiVersion: API_VERSION,
    kind: "ImagePullSecret",
    metadata: {
      name: managedPullSecretName(registry.name, registry.namespace),
      namespace,
      labels: {
        [MANAGED_BY.key]: MANAGED_BY.value,
        [MANAGED_PULL_SECRET_LABELS.registry]: registry.name,
        [MANAGED_PULL_SECRET_LABELS.namespace]: registry.namespace,
      },
    },
    spec: {
      registryRef: { name: registry.name, namespace: registry.namespace },
      serviceAccounts: managed.serviceAccounts ?? ["*"],
    },
  };
}
