import type { Ownership } from "../api/labels";
import type { PodSecurity } from "../api/fields/pod-security";
import type { RenderContext } from "../render/context";
import { liveInputs, retainedChildren } from "../render/names";
import type { Rendered, RenderExtras } from "../render/registry";
import { registryStatus, type DeploymentState } from "../render/status/registry-status";
import { imageHistory } from "../render/status/image-history";
import type { Dependency, Observe } from "../dependencies/dependency";
import { STORAGE_READY } from "../dependencies/storage/driver";
import { CERTIFICATE_READY } from "../dependencies/tls/render";
import { registryUrl } from "../render/ingress";
import { childNames } from "../render/names";
import { getLive } from "../engine/apply";
import { ownedChildren, readyEndpoints } from "../engine/children";
import type { Plan, Reconciled } from "../engine/pipeline";
import { withClusterUidMode } from "./pod-security";
import { reader } from "./reader";
import { recordCertificateExpiry } from "./certificate-metrics";
import { registryPodTrouble, registryPods } from "./registry-pods";
import { rollbackInForce, rollbackVerdict, rolloutFailure } from "../render/status/rollback";
import type { DesiredCondition, Rollback } from "../api/status";
import type { LiveObject } from "../kubernetes/objects";
import type { Autoscaling, Upgrade } from "../api/fields/rollout";
import { autoscaledReplicas } from "../render/autoscaler";
import { GC_COMPONENT, jobFinished } from "../render/pruner/gc-job";

/** The registry's pods that exist (leaving ones included); undefined when they cannot be listed. */
async function registryPodCount(
  ctx: RenderContext,
  ownership: Ownership,
): Promise<number | undefined> {
  try {
    const pods = await registryPods(ctx, ownership.label);
    return pods.filter(
      p => !["Succeeded", "Failed"].includes(String((p.status as { phase?: string })?.phase)),
    ).length;
  } catch {
    return undefined;
  }
}

/**
 * `ReadOnly`: True once every pod runs the read-only config (the rollout it took is complete),
 * which is when garbage collection may start; False while it rolls out.
 */
function readOnlyCondition(
  d: { metadata: { generation?: number }; status?: DeploymentState } | undefined,
  podsLeft: number | undefined,
  applyFailures: string[],
): DesiredCondition {
  const s = d?.status ?? {};
  // Every pod the Deployment counts runs the read-only template, and no other registry pod is
  // left: a leaving pod still answers requests during its preStop and drain.
  const done =
    !!d &&
    applyFailures.length === 0 &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === (s.replicas ?? 0) &&
    (s.replicas ?? 0) > 0 &&
    podsLeft === s.replicas;
  return done
    ? {
        type: "ReadOnly",
        status: "True",
        reason: "GarbageCollection",
        message:
          "Pushes are refused while an ImagePruner's garbage collection runs; pulls are served.",
      }
    : {
        type: "ReadOnly",
        status: "False",
        reason: "RollingOut",
        message: "Turning read-only for garbage collection: the pods are being replaced.",
      };
}

/** A kind that runs the registry server (a Registry, a Cache): the rest of its plan is shared. */
export interface RegistryWorkload<S> {
  /** Its kind, the label on its children and the component its pods are. */
  ownership: Ownership;
  /** The render context of the registry server it runs: names, labels, owner, registry spec. */
  context(name: string, namespace: string, uid: string, spec: S): RenderContext;
  /** What serving depends on, in the order their conditions are listed; storage among them. */
  providers(spec: S): Observe[];
  /** Every child (pure), from the context observe built for the spec. */
  render(
    ctx: RenderContext,
    spec: S,
    extras: Omit<RenderExtras, "contributions" | "mirror">,
  ): Rendered;
}

/** What one pass found: the spec as this cluster runs it, and each dependency's state. */
export interface WorkloadObservation<S> {
  /** The spec as rendered: its image is the last healthy one while a rollback is in force. */
  spec: S;
  /** With spec.autoscaling: the live Deployment's replica count (undefined: not created yet). */
  liveReplicas?: number;
  /** The image the spec asks for. */
  wanted: string;
  rollback?: Rollback;
  /** The registry server's context: names, labels, owner reference, its resolved spec. */
  ctx: RenderContext;
  /** A garbage collection is running or due: the registry refuses writes meanwhile. */
  readOnly: boolean;
  dependencies: Dependency[];
}

type WithImageHistory = { status?: { lastHealthyImage?: string; rollback?: Rollback } };
/** What the shared plan reads of a spec: the image it rolls out, how, and its pods' security. */
type WorkloadSpec = {
  podSecurity?: PodSecurity;
  image?: string;
  upgrade?: Upgrade;
  replicas?: number;
  autoscaling?: Autoscaling;
};

/** The owner, observe, render and report steps of a kind that runs the registry server. */
export function registryWorkloadPlan<
  R extends Reconciled & WithImageHistory,
  S extends WorkloadSpec,
>(
  w: RegistryWorkload<S>,
): Pick<
  Plan<R, S, WorkloadObservation<S>>,
  "owner" | "retained" | "observe" | "render" | "report" | "forget"
> {
  return {
    owner: w.ownership,
    retained: name => retainedChildren(childNames(name)),
    forget: (namespace, name) =>
      recordCertificateExpiry({ namespace, name, kind: w.ownership.kind }, undefined),

    async observe(resource, resolved) {
      const wanted = resolved.image!;
      const rollback = rollbackInForce(resource.status?.rollback, wanted);
      // Only a managed object renders pods, so only it needs the cluster's UID mode.
      let spec = await withClusterUidMode(resolved);
      if (rollback) spec = { ...spec, image: rollback.to };
      // A stored object always has these.
      const { name, namespace, uid } = resource.metadata as Record<
        "name" | "namespace" | "uid",
        string
      >;
      let liveReplicas: number | undefined;
      if (spec.autoscaling) {
        // What the autoscaler chose, within its bounds: the count the Deployment is created with
        // (or set to when out of bounds) and the status reports; see autoscaledFields.
        const live = await getLive("apps/v1", "Deployment", namespace, name);
        liveReplicas = (live?.spec as { replicas?: number } | undefined)?.replicas;
        spec = { ...spec, replicas: autoscaledReplicas(spec.autoscaling, liveReplicas) };
      }
      const ctx = w.context(name, namespace, uid, spec);
      const found = await Promise.all(w.providers(spec).map(observe => observe(ctx, reader)));
      // Read from memory; before the informer has synced, asked: a window must not be missed.
      const collecting = (
        await ownedChildren<LiveObject & Parameters<typeof jobFinished>[0]>(
          "batch/v1",
          "Job",
          namespace,
          w.ownership,
          name,
        )
      ).filter(j => j.metadata.labels?.["app.kubernetes.io/name"] === GC_COMPONENT);
      return {
        spec,
        liveReplicas,
        wanted,
        rollback,
        ctx,
        dependencies: found.filter(d => d !== undefined),
        readOnly: collecting.some(j => !jobFinished(j)),
      };
    },

    render(_resource, { spec, liveReplicas, ctx, dependencies, readOnly }) {
      const rendered = w.render(ctx, spec, {
        readOnly,
        liveReplicas,
        // A required dependency found unusable closes the health gate it names.
        unusable: Object.fromEntries(
          dependencies.flatMap(d => (d.gate && !d.ready ? [[d.gate, d.message]] : [])),
        ),
        found: Object.fromEntries(dependencies.flatMap(d => (d.found ? [[d.type, d.found]] : []))),
      });
      return {
        objects: rendered.objects,
        generated: rendered.generated.wanted,
        retired: rendered.generated.retired,
        ownerReference: ctx.owner,
        liveInputs: liveInputs(ctx.names),
        handedOver: rendered.handedOver,
      };
    },

    async report(resource, { spec, wanted, rollback, ctx, dependencies, readOnly }, applyFailures) {
      const { name, namespace, names, spec: registry } = ctx;
      const deployment = (await getLive("apps/v1", "Deployment", namespace, names.workload)) as
        | {
            metadata: { generation?: number; creationTimestamp?: string };
            status?: DeploymentState;
          }
        | undefined;
      const pods = await registryPodTrouble(ctx, w.ownership.label, deployment);
      const rollout = deployment
        ? { ...deployment.status, generation: deployment.metadata.generation }
        : undefined;
      const storage = dependencies.find(d => d.type === STORAGE_READY);
      if (!storage) throw new Error(`${w.ownership.kind} plan lists no storage provider`);
      const status = registryStatus({
        spec: registry,
        storage,
        dependencies: dependencies.filter(d => d !== storage),
        applyFailures,
        deployment: rollout,
        readyEndpoints: await readyEndpoints(namespace, name, w.ownership, names.service),
        url: registryUrl(registry, names.service, namespace),
        podTrouble: pods.trouble,
      });
      recordCertificateExpiry(
        { namespace, name, kind: w.ownership.kind },
        dependencies.find(d => d.type === CERTIFICATE_READY),
      );
      const lastHealthyImage = resource.status?.lastHealthyImage;
      const verdict = rollbackVerdict({
        wanted,
        generation: resource.metadata?.generation ?? 0,
        lastHealthyImage,
        autoRollback: spec.upgrade?.autoRollback ?? true,
        inForce: rollback,
        failure: rolloutFailure(registry.image!, lastHealthyImage, rollout, pods.rolloutTrouble),
        now: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      });
      // A rollback in force names itself unless something new is wrong (pods that fail now).
      const replaces = (c: DesiredCondition) =>
        c.reason !== "ApplyFailed" &&
        (!rollback || c.status === "False" || c.reason === "ProgressDeadlineExceeded");
      const conditions = status.conditions.map(c =>
        c.type === "Degraded" && verdict.degraded && replaces(c) ? verdict.degraded : c,
      );
      const rechecks = [...dependencies, pods].flatMap(d => (d.recheckMs ? [d.recheckMs] : []));
      // A rollback just decided is rendered by the next pass, at once.
      if (verdict.performed) rechecks.push(1);
      if (readOnly)
        conditions.push(
          readOnlyCondition(deployment, await registryPodCount(ctx, w.ownership), applyFailures),
        );
      return {
        conditions,
        fields: {
          replicas: status.replicas,
          readyReplicas: status.readyReplicas,
          url: status.url,
          image: status.image,
          ...imageHistory(registry.image!, conditions, lastHealthyImage),
          rollback: verdict.rollback,
        },
        recheckMs: rechecks.length ? Math.min(...rechecks) : undefined,
        events: verdict.performed
          ? [{ type: "Warning", reason: "RollbackPerformed", message: verdict.performed }]
          : [],
      };
    },
  };
}
