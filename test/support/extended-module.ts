// This checkout with a policy team's capability added the way docs/extending.md says — the
// example in examples/image-source-policy listed in capabilities/extensions.ts — as a source tree
// of its own beside this checkout's node_modules, for the fault suites' startModule({ tree }).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyCheckout } from "./checkout-copy";

/** The added capability, as a policy team writes capabilities/extensions.ts. */
export const EXTENSIONS_WITH_EXAMPLE = `import type { Capability } from "pepr";
import { ImageSourcePolicy } from "../examples/image-source-policy/capability";

export const extensions: Capability[] = [ImageSourcePolicy];
`;

/** A copy of this checkout's sources with the example added. */
export function extendedModuleTree(): string {
  const dir = copyCheckout("/var/tmp/registry-operator-extended-");
  writeFileSync(join(dir, "capabilities/extensions.ts"), EXTENSIONS_WITH_EXAMPLE);
  return dir;
}
