// The library a policy team's capability builds on (docs/extending.md): what the operator knows
// of its registries and of the images pods name, without reaching into its reconcile engine.
// Only what is exported here is kept stable for extensions.
export { imageHost, podImages, type PodImage } from "./images";
export { hostsOf, type HostOptions } from "./hosts";
export { registryHosts } from "./registries";
export { namespaceLabels } from "../kube/registry-lookup";
export { GROUP } from "../api/group";
export type { Registry, Cache } from "../api/kinds";

/** An admission message as the operator words its own: the field, then why. */
export const fieldMessage = (path: string, reason: string): string => `${path}: ${reason}`;
