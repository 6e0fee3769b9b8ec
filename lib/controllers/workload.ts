import type { RegistrySpec } from "../api/registry-spec";
import { DEFAULT_PORT } from "../api/defaults";
import type { Ownership } from "../api/labels";
import type { PodSecurity } from "../api/fields/pod-security";
import { childNames, liveInputs, retainedChildren } from "../render/names";
import type { Rendered, RenderInput } from "../render/registry";
import { registryStatus, type DeploymentState } from "../render/status/registry-status";
import { imageHistory } from "../render/status/image-history";
import type { Dependency, Observe } from "../dependencies/dependency";
import { getLive } from "../engine/apply";
import { readyEndpoints } from "../engine/children";
import type { Plan, Reconciled } from "../engine/pipeline";
import { withClusterUidMode } from "./pod-security";
import { reader } from "./reader";

/** A kind that runs the registry server (a Registry, a Cache): the rest of its plan is shared. */
export interface RegistryWorkload<S> {
  ownership: Ownership;
  /** The registry server it runs. */
  registrySpec(spec: S): RegistrySpec;
  /** What serving depends on, in the order their conditions are listed. */
  providers(spec: S): Observe[];
  /** Every child (pure). */
  render(input: Omit<RenderInput, "ownership" | "spec"> & { spec: S }): Rendered;
}

/** What one pass found: the spec as this cluster runs it, and each dependency's state. */
export interface WorkloadObservation<S> {
  spec: S;
  registry: RegistrySpec;
  dependencies: Dependency[];
}

type Image = { status?: { lastHealthyImage?: string } };

/** The observe, render and report steps of a kind that runs the registry server. */
export function registryWorkloadPlan<R extends Reconciled & Image, S extends WithPodSecurity>(
  w: RegistryWorkload<S>,
): Pick<Plan<R, S, WorkloadObservation<S>>, "retained" | "observe" | "render" | "report"> {
  const where = (r: R) => ({ name: r.metadata!.name!, namespace: r.metadata!.namespace! });
  return {
    retained: name => retainedChildren(childNames(name)),

    async observe(resource, resolved) {
      // Only a managed object renders pods, so only it needs the cluster's UID mode.
      const spec = await withClusterUidMode(resolved);
      const registry = w.registrySpec(spec);
      const { name, namespace } = where(resource);
      const ctx = { spec: registry, names: childNames(name), namespace };
      const found = await Promise.all(w.providers(spec).map(observe => observe(ctx, reader)));
      return { spec, registry, dependencies: found.filter(d => d !== undefined) };
    },

    render(resource, { spec, dependencies }) {
      const { name, namespace } = where(resource);
      const rendered = w.render({
        name,
        namespace,
        uid: resource.metadata!.uid!,
        spec,
        // A required dependency found unusable closes the health gate it names.
        unusable: Object.fromEntries(
          dependencies.flatMap(d => (d.gate && !d.ready ? [[d.gate, d.message]] : [])),
        ),
        storageFound: dependencies.find(d => d.type === STORAGE)?.found,
      });
      return {
        objects: rendered.objects,
        generated: rendered.generated.wanted,
        retired: rendered.generated.retired,
        owner: rendered.context.owner,
        liveInputs: liveInputs(rendered.context.names),
      };
    },

    async report(resource, { registry, dependencies }, applyFailures) {
      const { name, namespace } = where(resource);
      const names = childNames(name);
      const deployment = (await getLive("apps/v1", "Deployment", namespace, names.workload)) as
        | { metadata: { generation?: number }; status?: DeploymentState }
        | undefined;
      const storage = dependencies.find(d => d.type === STORAGE)!;
      const status = registryStatus({
        spec: registry,
        storage,
        dependencies: dependencies.filter(d => d !== storage),
        applyFailures,
        deployment: deployment
          ? { ...deployment.status, generation: deployment.metadata.generation }
          : undefined,
        readyEndpoints: await readyEndpoints(namespace, name, w.ownership),
        url: `http://${names.service}.${namespace}.svc:${registry.service?.port ?? DEFAULT_PORT}`,
      });
      const rechecks = dependencies.flatMap(d => (d.recheckMs ? [d.recheckMs] : []));
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

type WithPodSecurity = { podSecurity?: PodSecurity };

/** The condition type every storage provider reports (a Cache's emptyDir included). */
const STORAGE = "StorageReady";
