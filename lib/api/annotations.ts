import { GROUP } from "./group";

/** Annotations the operator writes on a Registry at admission. */
export const ANNOTATIONS = {
  /** JSON of the spec fields the user set (as opposed to template values and defaults). */
  userSpec: `${GROUP}/user-spec`,
  /** The RegistryTemplate applied, and its resourceVersion at the time. */
  template: `${GROUP}/template`,
  templateVersion: `${GROUP}/template-resource-version`,
} as const;
