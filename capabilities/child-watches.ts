import { a, type Capability } from "pepr";

// Every kind the operator creates for a Registry or a Cache.
const CHILD_KINDS = [
  a.Deployment,
  a.StatefulSet,
  a.Service,
  a.Secret,
  a.ConfigMap,
  a.PodDisruptionBudget,
  a.PersistentVolumeClaim,
  a.EndpointSlice,
];

/**
 * A child that is edited or deleted (or whose status moves) brings its owner — named by the
 * child's `label` — back to the desired state.
 */
export function watchChildren(
  when: Capability["When"],
  label: string,
  enqueue: (namespace: string, name: string) => void,
): void {
  const requeueOwner = (child: a.GenericKind) => {
    const owner = child.metadata?.labels?.[label];
    if (owner && child.metadata?.namespace) enqueue(child.metadata.namespace, owner);
  };
  for (const model of CHILD_KINDS) {
    when(model).IsCreatedOrUpdated().WithLabel(label).Reconcile(requeueOwner);
    when(model).IsDeleted().WithLabel(label).Reconcile(requeueOwner);
  }
}
