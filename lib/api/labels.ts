import { GROUP } from "./group";

/** The label every child carries: how the operator finds (and prunes) what it made for a Registry. */
export const OWNER_LABEL = `${GROUP}/registry`;
/** The same for a Cache's children. */
export const CACHE_OWNER_LABEL = `${GROUP}/cache`;

/** The label naming the ImagePruner that owns a child (its CronJob, program, Jobs and their pods). */
export const PRUNER_OWNER_LABEL = `${GROUP}/imagepruner`;

/** The labels naming the ImagePullSecret or ImagePushSecret that owns a credential Secret. */
export const CREDENTIAL_OWNER_LABELS = {
  ImagePullSecret: `${GROUP}/imagepullsecret`,
  ImagePushSecret: `${GROUP}/imagepushsecret`,
} as const;
export type CredentialKind = keyof typeof CREDENTIAL_OWNER_LABELS;

/**
 * The labels naming the Registry a credential Secret holds an account on (name and namespace):
 * how that Registry finds every account in any namespace. Not OWNER_LABEL: the Registry does not
 * own it.
 */
export const ACCOUNT_LABELS = {
  registry: `${GROUP}/account-registry`,
  namespace: `${GROUP}/account-namespace`,
} as const;

/**
 * The labels naming the Registry that keeps an ImagePullSecret in a namespace it selects
 * (`spec.auth.managedPullSecrets`), by name and namespace.
 */
export const MANAGED_PULL_SECRET_LABELS = {
  registry: `${GROUP}/managed-by-registry`,
  namespace: `${GROUP}/managed-by-registry-namespace`,
} as const;

/** The label every child of a Registry or a Cache carries: what the operator's informers select. */
export const MANAGED_BY = { key: "app.kubernetes.io/managed-by", value: "registry-operator" };

/** What owns a set of children: its kind, the label naming it, the component its pods are. */
export interface Ownership {
  kind: "Registry" | "Cache";
  label: string;
  component: string;
}
export const OWNERSHIP: Record<Ownership["kind"], Ownership> = {
  Registry: { kind: "Registry", label: OWNER_LABEL, component: "registry" },
  Cache: { kind: "Cache", label: CACHE_OWNER_LABEL, component: "registry-cache" },
};

/** Labels of every child of a Registry (or, with OWNERSHIP.Cache, of a Cache). */
export function childLabels(
  name: string,
  o: Ownership = OWNERSHIP.Registry,
): Record<string, string> {
  return {
    "app.kubernetes.io/name": o.component,
    "app.kubernetes.io/instance": name,
    [MANAGED_BY.key]: MANAGED_BY.value,
    [o.label]: name,
  };
}

/** The subset of child labels that selects the pods (stable: a selector cannot change later). */
export function podSelector(labels: Record<string, string>): Record<string, string> {
  return {
    "app.kubernetes.io/name": labels["app.kubernetes.io/name"],
    "app.kubernetes.io/instance": labels["app.kubernetes.io/instance"],
  };
}
