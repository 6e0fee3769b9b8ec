import { GROUP } from "./group";

/** Annotations the operator writes on a Registry at admission. */
export const ANNOTATIONS = {
  /** JSON of the spec fields the user set (as opposed to template values and defaults). */
  userSpec: `${GROUP}/user-spec`,
  /** The RegistryTemplate applied, and its resourceVersion at the time. */
  template: `${GROUP}/template`,
  templateVersion: `${GROUP}/template-resource-version`,
} as const;

/** Annotations on what the operator renders: a pod template rolls when its checksum changes. */
export const RENDER_ANNOTATIONS = {
  /** On the registry's pod template: the config and env it runs. */
  configChecksum: `${GROUP}/config-checksum`,
  /** On the node agent's pod template: the files it writes to nodes. */
  nodeConfigChecksum: `${GROUP}/node-config-checksum`,
  /** On an ImagePruner's Job: the run it is. */
  run: `${GROUP}/run`,
} as const;
