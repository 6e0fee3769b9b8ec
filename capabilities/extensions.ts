import type { Capability } from "pepr";

/**
 * Capabilities a policy team adds to the module (docs/extending.md): imported here, they are
 * built, deployed and tested with the rest. For example `ImageSourcePolicy` from
 * examples/image-source-policy/capability.ts. None by default.
 */
export const extensions: Capability[] = [];
