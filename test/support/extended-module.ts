// This checkout with a policy team's capability added the way docs/extending.md says — the
// example in examples/image-source-policy listed in capabilities/extensions.ts — as a source tree
// of its own beside this checkout's node_modules, for the fault suites' startModule({ tree }).
import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

/** The added capability, as a policy team writes capabilities/extensions.ts. */
export const EXTENSIONS_WITH_EXAMPLE = `import type { Capability } from "pepr";
import { ImageSourcePolicy } from "../examples/image-source-policy/capability";

export const extensions: Capability[] = [ImageSourcePolicy];
`;

/** A copy of this checkout's files (tracked and new, not ignored) with the example added. */
export function extendedModuleTree(): string {
  const dir = mkdtempSync("/var/tmp/registry-operator-extended-");
  execFileSync(
    "bash",
    [
      "-c",
      'set -o pipefail; git ls-files -z -co --exclude-standard | tar --null --ignore-failed-read -T - -c | tar -x -C "$1"',
      "copy",
      dir,
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] },
  );
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "capabilities/extensions.ts"), EXTENSIONS_WITH_EXAMPLE);
  return dir;
}
