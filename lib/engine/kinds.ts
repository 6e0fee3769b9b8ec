import { K8s, type Gvk } from "../kube/client";
import type { LiveObject } from "../kubernetes/objects";

const READ = ["get", "list", "watch"] as const;
const OWN = [...READ, "create", "patch", "delete"] as const;
/** Owned, never watched (a kind whose CRDs may be missing): no standing watch to grant. */
const OWN_UNWATCHED = ["get", "list", "create", "patch", "delete"] as const;
/**
 * Data (claims, buckets): never deleted by the operator, nor listed to prune. With
 * `deletionPolicy: Delete` the garbage collector deletes it, through the owner reference.
 */
const DATA = ["get", "list", "watch", "create", "patch"] as const;
const DATA_UNWATCHED = ["get", "create", "patch"] as const;

/** A kind the operator addresses, and what it does with objects of that kind. */
export interface KindEntry extends Gvk {
  /** An informer holds every object carrying the operator's label; a change requeues the owner. */
  watch: boolean;
  /** Deleted when its owner no longer renders it. Data (claims, buckets) never is. */
  prune: boolean;
  /** What the module's ClusterRole must grant on it. */
  verbs: readonly string[];
  /** The grant may be limited to named objects (resourceNames): the operator uses only its own. */
  byName?: boolean;
}

const entry = (
  apiVersion: string,
  kind: string,
  plural: string,
  use: Pick<KindEntry, "watch" | "prune" | "verbs" | "byName">,
): KindEntry => {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return { group, version, kind, plural, ...use };
};

/**
 * Every kind the operator creates, reads or watches, in one place: the informers, the prune list
 * and the expected ClusterRole (checked against package.json `pepr.rbac` by a unit test) are
 * derived from it. A new child kind is one entry here.
 */
export const KINDS: readonly KindEntry[] = [
  entry("apps/v1", "Deployment", "deployments", { watch: true, prune: true, verbs: OWN }),
  entry("apps/v1", "StatefulSet", "statefulsets", { watch: true, prune: true, verbs: OWN }),
  // The node agent (nodeTrust).
  entry("apps/v1", "DaemonSet", "daemonsets", { watch: true, prune: true, verbs: OWN }),
  entry("v1", "Service", "services", { watch: true, prune: true, verbs: OWN }),
  entry("v1", "ConfigMap", "configmaps", { watch: true, prune: true, verbs: OWN }),
  entry("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", {
    watch: true,
    prune: true,
    verbs: OWN,
  }),
  entry("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", {
    watch: true,
    prune: true,
    verbs: OWN,
  }),
  entry("v1", "Secret", "secrets", { watch: true, prune: true, verbs: OWN }),
  entry("networking.k8s.io/v1", "Ingress", "ingresses", { watch: true, prune: true, verbs: OWN }),
  entry("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", {
    watch: true,
    prune: true,
    verbs: OWN,
  }),
  entry("v1", "PersistentVolumeClaim", "persistentvolumeclaims", {
    watch: true,
    prune: false,
    verbs: DATA,
  }),
  // EndpointSlices copy the Service's labels: read for the Available condition.
  entry("discovery.k8s.io/v1", "EndpointSlice", "endpointslices", {
    watch: true,
    prune: false,
    verbs: READ,
  }),
  entry("objectstorage.k8s.io/v1alpha1", "BucketClaim", "bucketclaims", {
    watch: false,
    prune: false,
    verbs: DATA_UNWATCHED,
  }),
  entry("objectstorage.k8s.io/v1alpha1", "BucketAccess", "bucketaccesses", {
    watch: false,
    prune: false,
    verbs: DATA_UNWATCHED,
  }),
  // cert-manager's (spec.tls.issuerRef): not watched, as it may not be installed; the Secret it
  // writes carries the operator's label, so an issued certificate requeues the owner.
  entry("cert-manager.io/v1", "Certificate", "certificates", {
    watch: false,
    prune: true,
    verbs: OWN_UNWATCHED,
  }),
  // An ImagePruner's schedule, and the Jobs it starts (their end requeues the pruner).
  entry("batch/v1", "CronJob", "cronjobs", { watch: true, prune: true, verbs: OWN }),
  // Garbage collection runs as a Job the pruner makes itself (and deletes when given up).
  entry("batch/v1", "Job", "jobs", { watch: true, prune: false, verbs: OWN }),
  // An ImagePruner's account on a registry with logins (the credentials controller keeps it).
  // Watched so that pruning finds them in memory: one watch, not a list per owner and prune.
  entry("registry-operator.dev/v1alpha1", "ImagePushSecret", "imagepushsecrets", {
    watch: true,
    prune: true,
    verbs: OWN,
  }),
  // prometheus-operator's (spec.monitoring): not watched, as they may not be installed.
  entry("monitoring.coreos.com/v1", "ServiceMonitor", "servicemonitors", {
    watch: false,
    prune: true,
    verbs: OWN_UNWATCHED,
  }),
  entry("monitoring.coreos.com/v1", "PrometheusRule", "prometheusrules", {
    watch: false,
    prune: true,
    verbs: OWN_UNWATCHED,
  }),
  // The kubernetes-image-puller-operator's (spec.prePull): not watched, as it may not be installed.
  entry("che.eclipse.org/v1alpha1", "KubernetesImagePuller", "kubernetesimagepullers", {
    watch: false,
    prune: true,
    verbs: OWN_UNWATCHED,
  }),
  // Their imagePullSecrets get the pull secrets of ImagePullSecrets that ask for it.
  entry("v1", "ServiceAccount", "serviceaccounts", {
    watch: false,
    prune: false,
    verbs: ["list", "patch"],
  }),
  // Read, not watched, when a registry's pods stay unready: why (crash loop, image pull, scheduling).
  entry("v1", "Pod", "pods", { watch: false, prune: false, verbs: ["list"] }),
  // Read for their labels: which namespaces a Registry lets hold accounts on it.
  entry("v1", "Namespace", "namespaces", { watch: false, prune: false, verbs: READ }),
  entry("v1", "Event", "events", { watch: false, prune: false, verbs: ["create"] }),
  // Only the module's own CRDs, by name (server-side apply names the object even when creating).
  entry("apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", {
    watch: false,
    prune: false,
    verbs: ["create", "get", "patch"],
    byName: true,
  }),
];

const apiVersionOf = (k: Gvk) => (k.group ? `${k.group}/${k.version}` : k.version);
const BY_ID = new Map(KINDS.map(k => [`${apiVersionOf(k)}/${k.kind}`, k]));

export function gvkOf(apiVersion: string, kind: string): Gvk {
  const k = BY_ID.get(`${apiVersion}/${kind}`);
  if (!k) throw new Error(`the operator does not manage ${apiVersion} ${kind}`);
  return { group: k.group, version: k.version, kind: k.kind, plural: k.plural };
}

/** A client for any kind the operator manages, optionally bound to one object. */
export function client<T = LiveObject>(
  apiVersion: string,
  kind: string,
  object?: { namespace: string; name: string },
) {
  return K8s<T>(gvkOf(apiVersion, kind), object);
}

/** `[apiVersion, kind]` of the kinds the informers watch. */
export const WATCHED = KINDS.filter(k => k.watch).map(k => [apiVersionOf(k), k.kind] as const);

/** `[apiVersion, kind]` of the kinds pruned when no longer rendered. */
export const PRUNABLE = KINDS.filter(k => k.prune).map(k => [apiVersionOf(k), k.kind] as const);

/** One ClusterRole rule per kind: what package.json `pepr.rbac` must cover. */
export const expectedRbac = () =>
  KINDS.map(k => ({
    apiGroups: [k.group],
    resources: [k.plural],
    verbs: [...k.verbs],
    ...(k.byName ? { byName: true } : {}),
  }));
