import type { RegistrySpec } from "../api/registry-spec";
import type { Ownership } from "../api/labels";
import type { PodSecurity } from "../api/fields/pod-security";
import { renderContext, type RenderContext } from "../render/context";
import { liveInputs, retainedChildren } from "../render/names";
import type { Rendered, RenderInput } from "../render/registry";
import { registryStatus, type DeploymentState } from "../render/status/registry-status";
import { imageHistory } from "../render/status/image-history";
import type { Dependency, Observe } from "../dependencies/dependency";
import { STORAGE_READY } from "../dependencies/storage/driver";
import { CERTIFICATE_READY } from "../dependencies/tls/render";
import { registryUrl } from "../render/ingress";
import { childNames } from "../render/names";
import { getLive } from "../engine/apply";
import { readyEndpoints } from "../engine/children";
import type { Plan, Reconciled } from "../engine/pipeline";
import { withClusterUidMode } from "./pod-security";
import { reader } from "./reader";
import { recordCertificateExpiry } from "./certificate-metrics";
import { registryPodTrouble } from "./registry-pods";

/** A kind that runs the registry server (a Registry, a Cache): the rest of its plan is shared. */
export interface RegistryWorkload<S> {
  /** Its kind, the label on its children and the component its pods are. */
  ownership: Ownership;
  /** The registry server it runs. */
  registrySpec(spec: S): RegistrySpec;
  /** What serving depends on, in the order their conditions are listed; storage among them. */
  providers(spec: S): Observe[];
  /** Every child (pure). */
  render(input: Omit<RenderInput, "spec" | "contributions"> & { spec: S }): Rendered;
}

/** What one pass found: the spec as this cluster runs it, and each dependency's state. */
export interface WorkloadObservation<S> {
  spec: S;
  /** The registry server's context: names, labels, owner reference, its resolved spec. */
  ctx: RenderContext;
  dependencies: Dependency[];
}

type WithImageHistory = { status?: { lastHealthyImage?: string } };
type WithPodSecurity = { podSecurity?: PodSecurity };

/** The owner, observe, render and report steps of a kind that runs the registry server. */
export function registryWorkloadPlan<
  R extends Reconciled & WithImageHistory,
  S extends WithPodSecurity,
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
      // Only a managed object renders pods, so only it needs the cluster's UID mode.
      const spec = await withClusterUidMode(resolved);
      // A stored object always has these.
      const { name, namespace, uid } = resource.metadata as Record<
        "name" | "namespace" | "uid",
        string
      >;
      const ctx = renderContext(name, namespace, uid, w.registrySpec(spec), w.ownership);
      const found = await Promise.all(w.providers(spec).map(observe => observe(ctx, reader)));
      return { spec, ctx, dependencies: found.filter(d => d !== undefined) };
    },

    render(_resource, { spec, ctx, dependencies }) {
      const rendered = w.render({
        name: ctx.name,
        namespace: ctx.namespace,
        uid: ctx.owner.uid,
        spec,
        ownership: w.ownership,
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
      };
    },

    async report(resource, { ctx, dependencies }, applyFailures) {
      const { name, namespace, names, spec: registry } = ctx;
      const deployment = (await getLive("apps/v1", "Deployment", namespace, names.workload)) as
        | {
            metadata: { generation?: number; creationTimestamp?: string };
            status?: DeploymentState;
          }
        | undefined;
      const pods = await registryPodTrouble(ctx, w.ownership.label, deployment);
      const storage = dependencies.find(d => d.type === STORAGE_READY);
      if (!storage) throw new Error(`${w.ownership.kind} plan lists no storage provider`);
      const status = registryStatus({
        spec: registry,
        storage,
        dependencies: dependencies.filter(d => d !== storage),
        applyFailures,
        deployment: deployment
          ? { ...deployment.status, generation: deployment.metadata.generation }
          : undefined,
        readyEndpoints: await readyEndpoints(namespace, name, w.ownership),
        url: registryUrl(registry, names.service, namespace),
        podTrouble: pods.trouble,
      });
      recordCertificateExpiry(
        { namespace, name, kind: w.ownership.kind },
        dependencies.find(d => d.type === CERTIFICATE_READY),
      );
      const rechecks = [...dependencies, pods].flatMap(d => (d.recheckMs ? [d.recheckMs] : []));
      return {
        conditions: status.conditions,
        fields: {
          replicas: status.replicas,
          readyReplicas: status.readyReplicas,
          url: status.url,
          image: status.image,
          ...imageHistory(registry.image!, status.conditions, resource.status?.lastHealthyImage),
        },
        recheckMs: rechecks.length ? Math.min(...rechecks) : undefined,
      };
    },
  };
}
