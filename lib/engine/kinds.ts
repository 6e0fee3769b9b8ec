import { K8s, type Gvk } from "../kube/client";

// Every kind the operator creates or reads, addressed generically so one path serves them all.
const KINDS: Record<string, Gvk> = {
  "v1/Secret": { group: "", version: "v1", kind: "Secret", plural: "secrets" },
  "v1/Event": { group: "", version: "v1", kind: "Event", plural: "events" },
  "v1/ConfigMap": { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps" },
  "v1/Service": { group: "", version: "v1", kind: "Service", plural: "services" },
  "v1/PersistentVolumeClaim": {
    group: "",
    version: "v1",
    kind: "PersistentVolumeClaim",
    plural: "persistentvolumeclaims",
  },
  "apps/v1/Deployment": { group: "apps", version: "v1", kind: "Deployment", plural: "deployments" },
  "apps/v1/StatefulSet": {
    group: "apps",
    version: "v1",
    kind: "StatefulSet",
    plural: "statefulsets",
  },
  "policy/v1/PodDisruptionBudget": {
    group: "policy",
    version: "v1",
    kind: "PodDisruptionBudget",
    plural: "poddisruptionbudgets",
  },
  "discovery.k8s.io/v1/EndpointSlice": {
    group: "discovery.k8s.io",
    version: "v1",
    kind: "EndpointSlice",
    plural: "endpointslices",
  },
  "apiextensions.k8s.io/v1/CustomResourceDefinition": {
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
  },
  "objectstorage.k8s.io/v1alpha1/BucketClaim": {
    group: "objectstorage.k8s.io",
    version: "v1alpha1",
    kind: "BucketClaim",
    plural: "bucketclaims",
  },
  "objectstorage.k8s.io/v1alpha1/BucketAccess": {
    group: "objectstorage.k8s.io",
    version: "v1alpha1",
    kind: "BucketAccess",
    plural: "bucketaccesses",
  },
};

export function gvkOf(apiVersion: string, kind: string): Gvk {
  const gvk = KINDS[`${apiVersion}/${kind}`];
  if (!gvk) throw new Error(`the operator does not manage ${apiVersion} ${kind}`);
  return gvk;
}

/** A client for any kind the operator manages, optionally bound to one object. */
export function client(
  apiVersion: string,
  kind: string,
  object?: { namespace: string; name: string },
) {
  return K8s(gvkOf(apiVersion, kind), object);
}

/** Kinds pruned when no longer rendered. Data (claims, buckets) is never pruned. */
export const PRUNABLE = [
  ["apps/v1", "Deployment"],
  ["apps/v1", "StatefulSet"],
  ["v1", "Service"],
  ["v1", "ConfigMap"],
  ["policy/v1", "PodDisruptionBudget"],
] as const;
