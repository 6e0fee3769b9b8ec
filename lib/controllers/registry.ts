import { Log } from "pepr";
import { K8s } from "../kube/client";
import { ownSpec } from "../api/own-spec";
import { withRegistryDefaults } from "../admission/resolve";
import { GVK, type Registry } from "../api/kinds";
import { RegistrySpec } from "../api/registry-spec";
import { childLabels, OWNERSHIP } from "../api/labels";
import { childNames, retainedChildren } from "../render/names";
import { ownerReference } from "../render/owner";
import { renderRegistry } from "../render/registry";
import { imageHistory } from "../render/status/image-history";
import { supportedCondition } from "../render/status/supported";
import { applyChildren, forgetPruned, prune } from "../engine/children";
import type { DesiredCondition } from "../engine/conditions";
import { describeError, unlessMissing } from "../kube/errors";
import { recordEvent } from "../engine/events";
import { KeyedQueue } from "../engine/queue";
import { writeStatus } from "../engine/status-writer";
import { redisReadiness } from "../dependencies/redis/observe";
import { redisRecheckMs } from "../dependencies/redis/recheck";
import { observeStorage } from "../dependencies/storage/index";
import { withClusterUidMode } from "./pod-security";
import { reader } from "./reader";
import { templateCondition } from "./template";
import { desiredChildren, ensureGeneratedSecrets, observeWorkload, statusFields } from "./workload";

const STORAGE_POLL_MS = 5_000;
const queue = new KeyedQueue((key, err, ms) =>
  Log.error(`Registry ${key}: reconcile failed (${describeError(err)}); retrying in ${ms} ms`),
);

/** Schedules a reconcile of one Registry; events for the same Registry coalesce. */
export function enqueueRegistry(namespace: string, name: string): void {
  queue.enqueue(`${namespace}/${name}`, () => reconcileRegistry(namespace, name));
}

/**
 * Brings one Registry's children and status in line with its (admission-resolved) spec. Reads
 * fresh state, so it does not matter which event triggered it or how stale that event was.
 */
export async function reconcileRegistry(
  namespace: string,
  name: string,
): Promise<number | undefined> {
  const registry = await unlessMissing(
    K8s<Registry>(GVK.Registry).InNamespace(namespace).Get(name),
  );
  if (!registry || registry.metadata?.deletionTimestamp) {
    forgetPruned(OWNERSHIP.Registry, namespace, name);
    return;
  }
  // Conditions about the spec itself, reported whatever the management state.
  const specConditions = [
    supportedCondition(ownSpec(registry)),
    ...(await templateCondition(registry)),
  ];
  // When the workloads are not (or not to be) reconciled, Ready alone says why.
  const readyOnly = (status: "False" | "Unknown", reason: string, message: string, extra = {}) =>
    writeStatus(
      GVK.Registry,
      registry,
      [...specConditions, { type: "Ready", status, reason, message }],
      extra,
    );

  // The same defaults admission stores: an object the webhook never saw still gets an image.
  const parsed = RegistrySpec.safeParse(withRegistryDefaults(registry.spec ?? {}));
  if (!parsed.success) {
    await readyOnly(
      "False",
      "InvalidSpec",
      "The stored spec does not pass validation; edit the Registry to fix it.",
    );
    return;
  }
  const state = parsed.data.managementState ?? "Managed";
  if (state === "Unmanaged") {
    await readyOnly(
      "Unknown",
      "Unmanaged",
      "managementState is Unmanaged: children are left as they are.",
    );
    return;
  }
  if (state === "Removed") {
    const removed = await prune(
      namespace,
      name,
      OWNERSHIP.Registry,
      [],
      retainedChildren(childNames(name)),
    );
    if (removed.length) {
      await recordEvent(
        registry,
        "Normal",
        "Removed",
        `managementState Removed: deleted ${removed.join(", ")}; data kept.`,
      );
    }
    await readyOnly(
      "False",
      "Removed",
      "managementState is Removed: workloads deleted, data kept.",
      { readyReplicas: 0 },
    );
    return;
  }

  // Only a managed Registry renders pods, so only it needs the cluster's UID mode.
  const spec = await withClusterUidMode(parsed.data);
  const names = childNames(name);
  const labels = childLabels(name);
  const uid = registry.metadata!.uid!;
  const owner = ownerReference(name, uid);
  await ensureGeneratedSecrets(registry, spec, names, labels, owner);
  const ctx = { spec, names, namespace, labels, owner };
  const storage = await observeStorage(ctx, reader);
  const redis = await redisReadiness(ctx, reader);
  const objects = await desiredChildren(
    unusable => renderRegistry({ name, namespace, uid, spec, unusable }),
    redis,
    namespace,
    names,
  );
  // Say COSI's API is not installed: the other children and the status that explains it still go.
  const { failed } = await applyChildren(
    registry,
    OWNERSHIP.Registry,
    [...(storage.derived ?? []), ...objects],
    objects,
    retainedChildren(names),
  );

  const status = await observeWorkload(namespace, name, OWNERSHIP.Registry, names, spec, {
    storage,
    dependencies: redis ? [redis] : [],
    applyFailures: failed,
  });
  const conditions: DesiredCondition[] = [...status.conditions, ...specConditions];
  const wrote = await writeStatus(GVK.Registry, registry, conditions, {
    ...statusFields(status),
    ...imageHistory(spec.image!, conditions, registry.status?.lastHealthyImage),
  });
  if (wrote)
    Log.debug(
      `Registry ${namespace}/${name}: status ${JSON.stringify(conditions.map(c => `${c.type}=${c.status}:${c.reason}`))}`,
    );
  if (failed.length) throw new Error(`could not apply ${failed.join("; ")}`); // retried with backoff
  // A dependency the operator does not watch (COSI credentials, a claim binding, a user's Secret):
  // look again soon.
  return storage.ready ? redisRecheckMs(spec, redis, STORAGE_POLL_MS) : STORAGE_POLL_MS;
}
