// The module as `npx pepr build` and scripts/package.ts emit it, for the suites that check or
// install the build. `npm test` builds it once before it starts the module
// (scripts/operator-identity.sh: its RBAC is what the module runs with) and names the output in
// MODULE_BUILD_DIR. Run alone, a suite builds a copy of the sources: building in the tree rewrites
// dist/, which a running test module (`pepr dev`) executes and reloads — it could start from a
// half-written bundle. The copy links node_modules, because the build loads its bundle once and
// that must resolve pepr.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { copyCheckout } from "./checkout-copy";

const ROOT = join(__dirname, "../..");

/** How long building a copy may take: the jest hook that calls `builtModule` waits this long. */
export const MODULE_BUILD_MS = 240_000;

/** The build's output directory, and how to remove what building it left (nothing when prebuilt). */
export function builtModule(): { out: string; remove: () => void } {
  const prebuilt = process.env.MODULE_BUILD_DIR;
  if (prebuilt) return { out: prebuilt, remove: () => undefined };
  const results = join(ROOT, ".test-results");
  mkdirSync(results, { recursive: true });
  const tree = copyCheckout(join(results, "pepr-build-"));
  const out = join(tree, "out");
  const remove = () => rmSync(tree, { recursive: true, force: true });
  try {
    execFileSync("npx", ["--no-install", "pepr", "build", "-o", out], {
      cwd: tree,
      stdio: "pipe",
      timeout: MODULE_BUILD_MS - 60_000,
    });
    execFileSync("node", ["--import", "tsx", "scripts/package.ts", out], {
      cwd: tree,
      stdio: "pipe",
    });
  } catch (err) {
    remove();
    throw err;
  }
  return { out, remove };
}
