// The pruning program travels as the source text of two functions of the module. `pepr build`
// bundles the module minified with esbuild's keepNames (unlike `pepr dev`): the text the deployed
// module writes into the ConfigMap must still run on its own.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";

const ROOT = join(__dirname, "../../..");

/** pruneScript() as the module bundled by `pepr build` returns it. */
function bundledPruneScript(minify: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "prune-bundle-"));
  try {
    const entry = join(dir, "entry.ts");
    writeFileSync(
      entry,
      `import { pruneScript } from ${JSON.stringify(join(ROOT, "lib/render/pruner/program"))};\n` +
        "process.stdout.write(pruneScript());\n",
    );
    const out = join(dir, "bundle.js");
    // The options of Pepr 1.1.4's `pepr build` that change function text.
    buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      outfile: out,
      minify,
      keepNames: true,
    });
    const r = spawnSync(process.execPath, [out], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the program with no registry to reach: it must fail on that, not on a missing name. */
function run(script: string) {
  const dir = mkdtempSync(join(tmpdir(), "prune-run-"));
  try {
    writeFileSync(join(dir, "prune.js"), script);
    return spawnSync(process.execPath, [join(dir, "prune.js")], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, REGISTRY_URL: "http://127.0.0.1:9" },
      timeout: 30_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the pruning program of the built module", () => {
  it.each([
    ["minified, as `pepr build` ships it", true],
    ["unminified, as `pepr dev` runs it", false],
  ])(
    "runs on its own when the module is bundled %s",
    (_, minify) => {
      const r = run(bundledPruneScript(minify));
      expect(r.stderr).not.toMatch(/ReferenceError|SyntaxError/);
      // It got as far as asking the registry for its catalog.
      expect(r.stderr).toMatch(/fetch failed/);
      expect(r.status).toBe(2);
    },
    60_000,
  );
});
