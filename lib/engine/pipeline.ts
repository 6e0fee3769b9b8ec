import { Log } from "pepr";
import { K8s, type Gvk } from "../kube/client";
import { describeError, unlessMissing } from "../kube/errors";
import { applyChildren, forgetPruned, prune } from "./children";
import type { Condition, DesiredCondition } from "./conditions";
import { recordEvent } from "./events";
import { removeGeneratedSecret, writeGeneratedSecrets } from "./generated-secret";
import { stampInputVersions } from "./input-versions";
import type { KubeObject } from "../kubernetes/objects";
import type { OwnerLabel } from "./owner";
import type { GeneratedSecret, HandedOver, OwnerReference } from "../kubernetes/objects";
import type { InputRef } from "./pod-inputs";
import { KeyedQueue } from "./queue";
import { writeStatus } from "./status-writer";
import {
  generatedSecretWrites,
  reconcileDuration,
  reconcileTotal,
  recordConditions,
  objectLabels,
  objectReconcileErrors,
  trackQueue,
} from "./metrics";

/** An object of ours that a pipeline reconciles, as read from the API. */
export interface Reconciled {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    deletionTimestamp?: unknown;
  };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}

export type ManagementState = "Managed" | "Unmanaged" | "Removed";

/** One pass's children, rendered from the spec and what was observed, without I/O. */
export interface Desired {
  /** Every child, in apply order. */
  objects: KubeObject[];
  /** Secrets the operator generates (random values, certificates), written when due. */
  generated: GeneratedSecret[];
  /** Names of generated Secrets no longer wanted: deleted when this owner holds them. */
  retired: string[];
  /** The owner reference the children carry (a retired Secret goes only when it carries it). */
  ownerReference: OwnerReference;
  /** What the pods read that changes without a restart (not stamped into the pod template). */
  liveInputs: InputRef[];
  /** Fields set only when their child is created, then left to another controller. */
  handedOver?: HandedOver;
}

/** The status one pass writes, from what it observed after applying. */
export interface Report {
  conditions: DesiredCondition[];
  /** Status fields besides conditions. */
  fields: Record<string, unknown>;
  /** When to look again for something no watch reports; undefined leaves it to events and the resync. */
  recheckMs?: number;
  /**
   * Events about what this pass found (a rollback performed, a run that ended), recorded by the
   * pipeline once the status is written, in this order.
   */
  events?: { type: "Normal" | "Warning"; reason: string; message: string }[];
}

/**
 * What a controller says about its kind; the pipeline does the rest:
 * `observe (reads only) → render (pure) → create-once Secrets → apply / prune → report → status
 * → events`.
 */
export interface Plan<R extends Reconciled, S, O> {
  /** The kind, as read and as its status is written. */
  gvk: Gvk;
  /** The label naming the owner on each child (how prune finds them). */
  owner: OwnerLabel;
  /** The stored spec with its defaults, validated; undefined when it does not pass. */
  resolve(resource: R): S | undefined;
  /** Conditions about the spec itself, reported in every management state. */
  specConditions?(resource: R): Promise<DesiredCondition[]>;
  /** Managed when absent. */
  managementState?(spec: S): ManagementState;
  /**
   * `Kind/name` of children that outlive a change of spec and the Removed state (generated Secrets:
   * those rendered are kept anyway, but Removed renders nothing).
   */
  retained(name: string): string[];
  observe(resource: R, spec: S): Promise<O>;
  render(resource: R, observed: O): Desired;
  /**
   * Drops what the plan keeps about an object that is gone (its metric series), and undoes what
   * it did outside its children (a pull secret it put into ServiceAccounts).
   */
  forget?(namespace: string, name: string): void | Promise<void>;
  /**
   * Edits to objects the operator does not own, after the children are applied (a pull secret
   * put into ServiceAccounts); returns what could not be done, as the apply step does.
   */
  afterApply?(resource: R, observed: O): Promise<string[]>;
  /**
   * The status after applying, and the Events to record with it: may read (the rollout of what
   * was just applied), writes nothing to the cluster.
   */
  report(resource: R, observed: O, applyFailures: string[]): Promise<Report>;
}

/** A controller of one kind: a queue coalescing events per object over the pipeline. */
export function controller<R extends Reconciled, S, O>(plan: Plan<R, S, O>) {
  const kind = plan.gvk.kind;
  const queue = new KeyedQueue((key, err, ms) =>
    Log.error(`${kind} ${key}: reconcile failed (${describeError(err)}); retrying in ${ms} ms`),
  );
  trackQueue(kind, () => queue.depth());
  const reconcile = async (namespace: string, name: string) => {
    const end = reconcileDuration.startTimer({ kind });
    try {
      const again = await runPipeline(plan, namespace, name);
      reconcileTotal.inc({ kind, result: "success" });
      return again;
    } catch (err) {
      reconcileTotal.inc({ kind, result: "error" });
      objectReconcileErrors.inc(objectLabels(kind, namespace, name));
      throw err;
    } finally {
      end();
    }
  };
  return {
    reconcile,
    /** Schedules a reconcile; events for the same object coalesce. */
    enqueue: (namespace: string, name: string) =>
      queue.enqueue(`${namespace}/${name}`, () => reconcile(namespace, name)),
  };
}

/**
 * Brings one object's children and status in line with its (admission-resolved) spec. Reads
 * fresh state, so it does not matter which event triggered it or how stale that event was.
 * @returns when to run again (ms), if something not watched is awaited
 */
async function runPipeline<R extends Reconciled, S, O>(
  plan: Plan<R, S, O>,
  namespace: string,
  name: string,
): Promise<number | undefined> {
  const kind = plan.gvk.kind;
  const resource = await unlessMissing(K8s<R>(plan.gvk).InNamespace(namespace).Get(name));
  if (!resource || resource.metadata?.deletionTimestamp) {
    recordConditions(kind, namespace, name, undefined);
    objectReconcileErrors.remove(objectLabels(kind, namespace, name));
    forgetPruned(plan.owner, namespace, name);
    await plan.forget?.(namespace, name);
    return;
  }
  const specConditions = (await plan.specConditions?.(resource)) ?? [];
  // When the children are not (or not to be) reconciled, Ready alone says why.
  const readyOnly = (status: "False" | "Unknown", reason: string, message: string, extra = {}) =>
    writeStatus(
      plan.gvk,
      resource,
      [...specConditions, { type: "Ready", status, reason, message }],
      extra,
    );

  const spec = plan.resolve(resource);
  if (spec === undefined) {
    await readyOnly(
      "False",
      "InvalidSpec",
      `The stored spec does not pass validation; edit the ${kind} to fix it.`,
    );
    return;
  }
  const state = plan.managementState?.(spec) ?? "Managed";
  if (state === "Unmanaged") {
    await readyOnly(
      "Unknown",
      "Unmanaged",
      "managementState is Unmanaged: children are left as they are.",
    );
    return;
  }
  if (state === "Removed") {
    const removed = await prune(namespace, name, plan.owner, [], plan.retained(name));
    if (removed.length)
      await recordEvent(
        resource,
        "Normal",
        "Removed",
        `managementState Removed: deleted ${removed.join(", ")}; data kept.`,
      );
    await readyOnly(
      "False",
      "Removed",
      "managementState is Removed: workloads deleted, data kept.",
      { readyReplicas: 0 },
    );
    return;
  }

  const observed = await plan.observe(resource, spec);
  const desired = plan.render(resource, observed);
  const generated = await writeGeneratedSecrets(desired.generated);
  if (generated.event) {
    generatedSecretWrites.inc({ kind, reason: generated.event.reason });
    await recordEvent(resource, "Normal", generated.event.reason, generated.event.message);
  }
  for (const retired of desired.retired)
    await removeGeneratedSecret(retired, namespace, desired.ownerReference);
  const objects = await stampInputVersions(desired.objects, namespace, desired.liveInputs);
  // One child that cannot be applied (COSI's API not installed) does not stop the others, nor
  // the status that explains it.
  // A generated Secret is never pruned while it is rendered, listed in `retained` or not.
  const kept = [...plan.retained(name), ...desired.generated.map(g => `Secret/${g.metadata.name}`)];
  const applied = await applyChildren(
    resource,
    plan.owner,
    objects,
    objects,
    kept,
    desired.handedOver,
  );
  const edited = (await plan.afterApply?.(resource, observed)) ?? [];
  const failed = [...generated.failures, ...applied.failed, ...edited];

  const report = await plan.report(resource, observed, failed);
  const conditions = [...report.conditions, ...specConditions];
  if (await writeStatus(plan.gvk, resource, conditions, report.fields))
    Log.debug(
      `${kind} ${namespace}/${name}: status ${JSON.stringify(conditions.map(c => `${c.type}=${c.status}:${c.reason}`))}`,
    );
  for (const e of report.events ?? []) await recordEvent(resource, e.type, e.reason, e.message);
  if (failed.length) throw new Error(`could not apply ${failed.join("; ")}`); // retried with backoff
  return report.recheckMs;
}
