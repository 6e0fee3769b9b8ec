import { childLabels, OWNERSHIP, type Ownership } from "../api/labels";
import type { RegistrySpec } from "../api/registry-spec";
import { registryVersion, type ConfigFormat } from "../api/version";
import { childNames, type ChildNames } from "./names";
import { ownerReference } from "./owner";

/** What every render function of one workload needs, computed once. */
export interface RenderContext {
  /** The owner's name (a Registry's or a Cache's). */
  name: string;
  namespace: string;
  names: ChildNames;
  /** The labels every child carries. */
  labels: Record<string, string>;
  /** The controller reference owned children carry. */
  owner: ReturnType<typeof ownerReference>;
  /** The resolved spec of the registry the owner runs. */
  spec: RegistrySpec;
  /** The config format the image reads. */
  format: ConfigFormat;
}

export function renderContext(
  name: string,
  namespace: string,
  uid: string,
  spec: RegistrySpec,
  ownership: Ownership = OWNERSHIP.Registry,
): RenderContext {
  return {
    name,
    namespace,
    names: childNames(name),
    labels: childLabels(name, ownership),
    owner: ownerReference(name, uid, ownership.kind),
    spec,
    format: registryVersion(spec.image ?? "").format,
  };
}
