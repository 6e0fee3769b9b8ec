import type { RenderContext } from "../../render/context";
import { OBJECT_LABELS } from "../../telemetry/metric-names";

/**
 * The series the alerts and the dashboard read, in one place: what the registry exports on its
 * debug port (checked against a real registry's scrape by the data-plane tests), what the operator
 * exports, and what the kubelet exports of volumes.
 */
export const REGISTRY_METRICS = {
  requests: "registry_http_requests_total",
  duration: "registry_http_request_duration_seconds_bucket",
  inFlight: "registry_http_in_flight_requests",
  storageAction: "registry_storage_action_seconds_bucket",
  descriptorCacheRequests: "registry_storage_cache_requests_total",
  descriptorCacheHits: "registry_storage_cache_hits_total",
  proxyRequests: "registry_proxy_requests_total",
  proxyHits: "registry_proxy_hits_total",
  proxyMisses: "registry_proxy_misses_total",
} as const;

/** The kubelet's (scraped by every Prometheus that scrapes nodes). */
export const KUBELET_METRICS = {
  volumeUsed: "kubelet_volume_stats_used_bytes",
  volumeCapacity: "kubelet_volume_stats_capacity_bytes",
  volumeAvailable: "kubelet_volume_stats_available_bytes",
} as const;

/**
 * Labels the ServiceMonitor puts on every series it scrapes from a registry (besides
 * prometheus-operator's namespace, service, pod, job), so alerts and panels select one registry.
 */
export const TARGET_LABELS = { registry: "registry", kind: "registry_kind" } as const;

type Selected = Pick<RenderContext, "name" | "namespace" | "owner">;

/** The label matchers of one registry's own series. */
export const registrySelector = ({ name, namespace, owner }: Selected): string =>
  `namespace="${namespace}", ${TARGET_LABELS.kind}="${owner.kind}", ${TARGET_LABELS.registry}="${name}"`;

/** The label matchers of the operator's series about one registry. */
export const objectSelector = ({ name, namespace, owner }: Selected): string =>
  `kind="${owner.kind}", ${OBJECT_LABELS.namespace}="${namespace}", ${OBJECT_LABELS.name}="${name}"`;
