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
import { liveData } from "../engine/apply";
import { applyChildren, forgetPruned } from "../engine/children";
import { redisReadiness } from "../dependencies/redis/observe";
import { redisRecheckMs } from "../dependencies/redis/recheck";
import { KeyedQueue } from "../engine/queue";
import { writeStatus } from "../engine/status-writer";
import { imageHistory } from "../render/status/image-history";
import type { Dependency } from "../render/status/registry-status";
import { desiredChildren, ensureHttpSecret, observeWorkload, statusFields } from "./workload";

/** A user's Secret is not watched: while it is missing or incomplete, look again this often. */
const CREDENTIALS_POLL_MS = 5_000;
const queue = new KeyedQueue((key, err, ms) =>
  Log.error(`Cache ${key}: reconcile failed (${describeError(err)}); retrying in ${ms} ms`),
);

export function enqueueCache(namespace: string, name: string): void {
  queue.enqueue(`${namespace}/${name}`, () => reconcileCache(namespace, name));
}

/** Whether the upstream credentials the pods read exist; never reads out the values. */
async function credentialsState(spec: CacheSpec, namespace: string): Promise<Dependency> {
  const type = "UpstreamCredentialsReady";
  const ref = spec.credentialsSecretRef;
  if (!ref)
    return {
      type,
      ready: true,
      reason: "Anonymous",
      message: "The upstream is pulled without credentials.",
    };
  const data = await liveData("Secret", namespace, ref.name);
  if (!data)
    return {
      type,
      ready: false,
      reason: "SecretNotFound",
      message: `Secret ${ref.name} (spec.credentialsSecretRef) not found; the cache pods cannot start until it exists.`,
    };
  const missing = [ref.usernameKey ?? "username", ref.passwordKey ?? "password"].filter(
    k => !data[k],
  );
  if (missing.length)
    return {
      type,
      ready: false,
      reason: "KeyMissing",
      message: `Secret ${ref.name} has no ${missing.join(" or ")} key.`,
    };
  return { type, ready: true, reason: "Found", message: `Credentials from Secret ${ref.name}.` };
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
  const spec = parsed.data;
  const names = childNames(name);
  const uid = cache.metadata!.uid!;
  const owner = ownerReference(name, uid, "Cache");
  const labels = childLabels(name, OWNERSHIP.Cache);
  await ensureHttpSecret(cache, names, labels, owner);
  const credentials = await credentialsState(spec, namespace);
  const registrySpec = cacheRegistrySpec(spec);
  const redis = await redisReadiness(registrySpec, names, namespace, labels, owner);
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
