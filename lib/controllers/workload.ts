import type { RegistrySpec } from "../api/registry-spec";
import { DEFAULT_PORT } from "../api/defaults";
import type { Ownership } from "../api/labels";
import type { ChildNames } from "../render/names";
import { ownerReference } from "../render/owner";
import { liveInputs } from "../render/names";
import type { Rendered, RenderInput } from "../render/registry";
import { generatedSecrets } from "../render/generated";
import type { KubeObject } from "../dependencies/storage/driver";
import {
  registryStatus,
  type DeploymentState,
  type Observed,
  type RegistryStatusFields,
} from "../render/status/registry-status";
import { getLive } from "../engine/apply";
import { readyEndpoints } from "../engine/children";
import { recordEvent } from "../engine/events";
import { ensureGeneratedSecret, removeGeneratedSecret } from "../engine/generated-secret";
import { stampInputVersions } from "../engine/input-versions";
import type { Dependency } from "../dependencies/dependency";
import { redisUnusable } from "../dependencies/redis/recheck";

// What reconciling a Registry and a Cache share: both run the registry workload.

/**
 * Creates the generated Secrets the spec needs (an Event says when one with an event reason was)
 * and deletes those it no longer needs.
 */
export async function ensureGeneratedSecrets(
  resource: Parameters<typeof recordEvent>[0],
  spec: RegistrySpec,
  names: ChildNames,
  labels: Record<string, string>,
  owner: ReturnType<typeof ownerReference>,
): Promise<void> {
  const namespace = resource.metadata!.namespace!;
  const { wanted, retired } = generatedSecrets(spec, names);
  for (const s of wanted) {
    const made = await ensureGeneratedSecret(s.name, s.key, namespace, labels, owner);
    if (made === "created" && s.event)
      await recordEvent(resource, "Normal", s.event.reason, s.event.message);
  }
  for (const name of retired) await removeGeneratedSecret(name, namespace, owner);
}

/** Reads the workload's Deployment and endpoints and derives the status (conditions, url, counts). */
export async function observeWorkload(
  namespace: string,
  name: string,
  ownership: Ownership,
  names: ChildNames,
  spec: RegistrySpec,
  observed: Pick<Observed, "storage" | "dependencies" | "applyFailures">,
): Promise<RegistryStatusFields> {
  const deployment = (await getLive("apps/v1", "Deployment", namespace, names.workload)) as
    | { metadata: { generation?: number }; status?: DeploymentState }
    | undefined;
  return registryStatus({
    ...observed,
    spec,
    deployment: deployment
      ? { ...deployment.status, generation: deployment.metadata.generation }
      : undefined,
    readyEndpoints: await readyEndpoints(namespace, name, ownership),
    url: `http://${names.service}.${namespace}.svc:${spec.service?.port ?? DEFAULT_PORT}`,
  });
}

/** The status fields besides conditions. */
export const statusFields = (s: RegistryStatusFields) => ({
  replicas: s.replicas,
  readyReplicas: s.readyReplicas,
  url: s.url,
  image: s.image,
});

/**
 * The children to apply: rendered with what the operator found unusable (closing the health gate
 * of a required dependency), each workload stamped with the versions of what its pods read.
 */
export async function desiredChildren(
  render: (unusable: RenderInput["unusable"]) => Rendered,
  redis: Dependency | undefined,
  namespace: string,
  names: ChildNames,
): Promise<KubeObject[]> {
  const rendered = render(redisUnusable(redis));
  return stampInputVersions(rendered.objects, namespace, liveInputs(names));
}
