// An earlier version of the module to upgrade from: its sources at a pinned commit of this
// repository's history, unpacked beside this checkout's node_modules (the same Pepr and libraries:
// the commit is one whose package-lock.json needs nothing this checkout lacks).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

/** The version upgraded from: the last before NetworkPolicies, the render context, RBAC trims. */
export const EARLIER_COMMIT = "f1096544e5a6f833d10fc01e0f41125c56a883cc";

const git = (...args: string[]) =>
  spawnSync("git", args, {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 120_000,
  });

const hasCommit = () => git("cat-file", "-e", `${EARLIER_COMMIT}^{commit}`).status === 0;

/**
 * The earlier version's source tree (cached outside the clone), or why there is none: a clone
 * without that history fetches the commit from `origin` if it can (within two minutes; with its
 * history, so a full clone does not become a shallow one).
 */
export function earlierModuleTree(): { dir: string } | { missing: string } {
  const cache = execFileSync("bash", [join(ROOT, "scripts/tools/cache-dir.sh")], {
    encoding: "utf8",
  }).trim();
  const dir = join(cache, "earlier-module", EARLIER_COMMIT);
  if (existsSync(join(dir, "package.json"))) return { dir };
  if (!hasCommit()) {
    const fetched = git("fetch", "--quiet", "origin", EARLIER_COMMIT);
    if (!hasCommit())
      return {
        missing: `commit ${EARLIER_COMMIT} is not in this clone and could not be fetched (${fetched.error?.message ?? (fetched.stderr.trim() || "no origin")})`,
      };
  }
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync("bash", ["-c", `git archive ${EARLIER_COMMIT} | tar -x -C "${partial}"`], {
    cwd: ROOT,
  });
  symlinkSync(join(ROOT, "node_modules"), join(partial, "node_modules"));
  renameSync(partial, dir);
  return { dir };
}
