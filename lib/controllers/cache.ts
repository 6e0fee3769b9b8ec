import { Log } from "pepr";
import { K8s } from "../kube/client";
import { resolveCache } from "../admission/validate-cache";
import { CacheSpec } from "../api/cache-spec";
import { GVK, type Cache } from "../api/kinds";
import { describeError, unlessMissing } from "../kube/errors";
import { cacheRegistrySpec, renderCache } from "../render/cache";
import { childLabels, OWNERSHIP } from "../api/labels";
import { childNames, retainedChildren } from "../render/names";
import { ownerReference } from "../render/owner";
import { applyChildren, forgetPruned } from "../engine/children";
import { redisReadiness } from "../dependencies/redis/observe";
import { redisRecheckMs } from "../dependencies/redis/recheck";
import { KeyedQueue } from "../engine/queue";
import { writeStatus } from "../engine/status-writer";
import { imageHistory } from "../render/status/image-history";
import { observeCredentials } from "../dependencies/upstream-credentials/observe";
import { withClusterUidMode } from "./pod-security";
import { reader } from "./reader";
import { desiredChildren, ensureGeneratedSecrets, observeWorkload, statusFields } from "./workload";

/** A user's Secret is not watched: while it is missing or incomplete, look again this often. */
const CREDENTIALS_POLL_MS = 5_000;
const queue = new KeyedQueue((key, err, ms) =>
  Log.error(`Cache ${key}: reconcile failed (${describeError(err)}); retrying in ${ms} ms`),
);

export function enqueueCache(namespace: string, name: string): void {
  queue.enqueue(`${namespace}/${name}`, () => reconcileCache(namespace, name));
}

/** Brings one Cache's children and status in line with its (admission-resolved) spec. */
export async function reconcileCache(namespace: string, name: string): Promise<number | undefined> {
  const cache = await unlessMissing(K8s<Cache>(GVK.Cache).InNamespace(namespace).Get(name));
  if (!cache || cache.metadata?.deletionTimestamp) {
    forgetPruned(OWNERSHIP.Cache, namespace, name);
    return;
  }
  // The same defaults admission stores, for an object the webhook never saw.
  const parsed = CacheSpec.safeParse(resolveCache(cache.spec));
  if (!parsed.success) {
    await writeStatus(GVK.Cache, cache, [
      {
        type: "Ready",
        status: "False",
        reason: "InvalidSpec",
        message: "The stored spec does not pass validation; edit the Cache to fix it.",
      },
    ]);
    return;
  }
  const spec = await withClusterUidMode(parsed.data);
  const names = childNames(name);
  const uid = cache.metadata!.uid!;
  const owner = ownerReference(name, uid, "Cache");
  const labels = childLabels(name, OWNERSHIP.Cache);
  const registrySpec = cacheRegistrySpec(spec);
  await ensureGeneratedSecrets(cache, registrySpec, names, labels, owner);
  const credentials = await observeCredentials(spec, namespace, reader);
  const redis = await redisReadiness(
    { spec: registrySpec, names, namespace, labels, owner },
    reader,
  );
  const objects = await desiredChildren(
    unusable => renderCache({ name, namespace, uid, spec, unusable }),
    redis,
    namespace,
    names,
  );
  const { failed } = await applyChildren(
    cache,
    OWNERSHIP.Cache,
    objects,
    objects,
    retainedChildren(names),
  );
  const status = await observeWorkload(namespace, name, OWNERSHIP.Cache, names, registrySpec, {
    storage: {
      ready: true,
      reason: "EmptyDir",
      message: `Cached blobs live in an emptyDir limited to ${String(registrySpec.storage?.emptyDir?.sizeLimit)}.`,
    },
    dependencies: [credentials, ...(redis ? [redis] : [])],
    applyFailures: failed,
  });
  await writeStatus(GVK.Cache, cache, status.conditions, {
    ...statusFields(status),
    ...imageHistory(spec.image!, status.conditions, cache.status?.lastHealthyImage),
  });
  if (failed.length) throw new Error(`could not apply ${failed.join("; ")}`);
  return credentials.ready
    ? redisRecheckMs(registrySpec, redis, CREDENTIALS_POLL_MS)
    : CREDENTIALS_POLL_MS;
}
