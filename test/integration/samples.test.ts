// Every file in samples/ applies unchanged and reaches what its comment promises. A sample's
// header says so in lines the test reads:
//   # needs: OTHER.yaml              applied first, in the same namespace
//   # expect: KIND/NAME Type=Status (Reason)   a condition it reaches (the reason is optional)
//   # refused: TEXT                  admission refuses the file, naming TEXT
//   # warns: TEXT                    admission warns so (any other warning fails the test)
// A sample without one of these fails the test: each must promise something it is held to.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { kubectl, testNamespace } from "../support/kubectl";
import { waitForCondition } from "../support/conditions";
import { preboundVolume } from "../support/volumes";

const SAMPLES = join(__dirname, "../../samples");

interface Promises {
  needs: string[];
  expect: { kind: string; name: string; type: string; status: string; reason?: string }[];
  refused: string[];
  warns: string[];
}

/** What a sample's header comment promises. */
function promises(file: string): Promises {
  const header = readFileSync(join(SAMPLES, file), "utf8").split("\n");
  const lines = (key: string) =>
    header.flatMap(l => {
      const m = new RegExp(`^# ${key}: (.+)$`).exec(l);
      return m ? [m[1].trim()] : [];
    });
  return {
    needs: lines("needs"),
    refused: lines("refused"),
    warns: lines("warns"),
    expect: lines("expect").map(e => {
      const m = /^(\w+)\/(\S+) (\w+)=(True|False)(?: \((\w+)\))?$/.exec(e);
      if (!m) throw new Error(`${file}: "# expect: ${e}" is not KIND/NAME Type=Status (Reason)`);
      return { kind: m[1], name: m[2], type: m[3], status: m[4], reason: m[5] };
    }),
  };
}

type Doc = { kind?: string; metadata?: { name?: string } };
const docsOf = (file: string) =>
  parseAllDocuments(readFileSync(join(SAMPLES, file), "utf8")).map(d => d.toJS() as Doc);
/** The cluster-wide objects a sample makes (its own Namespace, a RegistryTemplate), to remove. */
const clusterWide = (file: string) =>
  docsOf(file).filter(d => d?.kind === "Namespace" || d?.kind === "RegistryTemplate");

// What the test cluster lacks and a real one provides: a volume for a claim (no provisioner).
const VOLUMES: Record<string, string[]> = { "registry-filesystem.yaml": ["files-data"] };

const files = readdirSync(SAMPLES).filter(f => f.endsWith(".yaml"));

describe("samples/", () => {
  it("has the samples the docs promise: a Registry per storage kind, a Cache, Redis, credentials, a pruner", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "registry-quickstart.yaml",
        "registry-filesystem.yaml",
        "registry-s3.yaml",
        "registry.yaml",
        "cache.yaml",
        "registry-redis.yaml",
        "credentials.yaml",
        "pruner.yaml",
      ]),
    );
  });

  it.each(files)(
    "%s applies and keeps its promise",
    async file => {
      const promised = promises(file);
      expect(promised.expect.length + promised.refused.length).toBeGreaterThan(0);
      const ns = testNamespace("sample");
      const made = clusterWide(file);
      // Node trust runs in a namespace of its own, which the sample makes.
      const own = made.find(d => d.kind === "Namespace")?.metadata?.name;
      const volumes = (VOLUMES[file] ?? []).map(claim => preboundVolume(ns.name, claim));
      // A sample that makes its own namespace names it on its objects.
      const apply = (f: string) =>
        kubectl([...(own ? [] : ["-n", ns.name]), "apply", "-f", join(SAMPLES, f)]);
      try {
        for (const need of promised.needs) expect(apply(need).code).toBe(0);
        const r = apply(file);
        if (promised.refused.length) {
          expect(r.code).not.toBe(0);
          for (const field of promised.refused) expect(r.stderr).toContain(field);
          return;
        }
        expect(r.code).toBe(0);
        const warnings = r.stderr.split("\n").filter(Boolean);
        expect(warnings.filter(w => !promised.warns.some(text => w.includes(text)))).toEqual([]);
        for (const text of promised.warns) expect(r.stderr).toContain(text);
        for (const e of promised.expect)
          await waitForCondition(
            own ?? ns.name,
            e.kind,
            e.name,
            { type: e.type, status: e.status, reason: e.reason },
            120_000,
          );
      } finally {
        for (const d of made)
          kubectl([
            "delete",
            d.kind!.toLowerCase(),
            d.metadata!.name!,
            "--ignore-not-found",
            "--wait=false",
          ]);
        for (const v of volumes) v.remove();
        ns.remove();
      }
    },
    300_000,
  );
});
