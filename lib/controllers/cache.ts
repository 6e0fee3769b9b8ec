import { observeNodeTrust } from "../dependencies/node-trust/observe";
import { resolveCache } from "../admission/validate-cache";
import { CacheSpec } from "../api/cache-spec";
import { GVK, type Cache } from "../api/kinds";
import { OWNERSHIP } from "../api/labels";
import { cacheContext, renderCache } from "../render/cache";
import type { Observe } from "../dependencies/dependency";
import { STORAGE_READY } from "../dependencies/storage/driver";
import { observeRedis } from "../dependencies/redis/observe";
import { observeTls } from "../dependencies/tls/observe";
import { upstreamCredentials } from "../dependencies/upstream-credentials/observe";
import { observeMonitoring } from "../dependencies/monitoring/observe";
import { controller, type Plan } from "../engine/pipeline";
import { registryWorkloadPlan, type WorkloadObservation } from "./workload";

/** A cache keeps blobs only in its emptyDir, bounded by the size its spec resolves to. */
const cacheStorage: Observe = async ({ spec }) => ({
  type: STORAGE_READY,
  ready: true,
  reason: "EmptyDir",
  message: `Cached blobs live in an emptyDir limited to ${String(spec.storage?.emptyDir?.sizeLimit)}.`,
});

/** A Cache: a registry server in proxy mode, its upstream credentials and Redis. */
export const cachePlan: Plan<Cache, CacheSpec, WorkloadObservation<CacheSpec>> = {
  gvk: GVK.Cache,
  // The same defaults admission stores, for an object the webhook never saw.
  resolve: cache => CacheSpec.safeParse(resolveCache(cache.spec)).data,
  managementState: spec => spec.managementState ?? "Managed",
  ...registryWorkloadPlan({
    ownership: OWNERSHIP.Cache,
    context: cacheContext,
    providers: spec => [
      cacheStorage,
      upstreamCredentials(spec),
      observeRedis,
      observeTls,
      observeNodeTrust,
      observeMonitoring,
    ],
    render: renderCache,
  }),
};

const caches = controller(cachePlan);
export const { reconcile: reconcileCache, enqueue: enqueueCache } = caches;
