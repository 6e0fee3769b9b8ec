import { DEFAULT_CACHE_TTL, DEFAULT_REGISTRY_IMAGE } from "../../../lib/api/defaults";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { crdFiles } from "../../../lib/api/crd-files";

describe("generated CRDs", () => {
  it.each(crdFiles())(
    "crds/%s matches the zod schemas (run `npm run gen:crds` when this fails)",
    (name, text) => {
      const committed = readFileSync(join(__dirname, "../../../crds", name), "utf8");
      expect(committed).toBe(text);
    },
  );

  it("compare with the stored object (oldSelf) only where there is one to run: not in a template", () => {
    const files = Object.fromEntries(crdFiles());
    expect(files["registries.yaml"]).toContain("oldSelf");
    expect(files["caches.yaml"]).toContain("oldSelf");
    expect(files["registrytemplates.yaml"]).not.toContain("oldSelf");
  });

  it("are structural: every property has a type or is int-or-string", () => {
    const untyped: string[] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      if (!node.type && !node["x-kubernetes-int-or-string"]) untyped.push(path);
      for (const [k, v] of Object.entries(
        (node.properties as Record<string, Record<string, unknown>>) ?? {},
      ))
        walk(v, `${path}.${k}`);
      if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
      if (typeof node.additionalProperties === "object")
        walk(node.additionalProperties as Record<string, unknown>, `${path}{}`);
    };
    for (const [, text] of crdFiles())
      walk(parse(text).spec.versions[0].schema.openAPIV3Schema, "");
    expect(untyped).toEqual([]);
  });

  it("documents the fields kubectl explain shows", () => {
    const registry = parse(crdFiles().find(([n]) => n === "registries.yaml")![1]);
    const spec = registry.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    expect(spec.properties.storage.description).toMatch(/exactly one of/);
    expect(
      registry.spec.versions[0].additionalPrinterColumns.map((c: { name: string }) => c.name),
    ).toEqual(["Ready", "Replicas", "URL", "Age"]);
  });
});

describe("schema defaults", () => {
  const specOf = (file: string) =>
    parse(crdFiles().find(([name]) => name === file)![1]).spec.versions[0].schema.openAPIV3Schema
      .properties.spec;
  const defaults = (node: Record<string, unknown>): string[] => [
    ...("default" in node ? ["."] : []),
    ...Object.entries((node.properties as Record<string, Record<string, unknown>>) ?? {}).flatMap(
      ([k, v]) => defaults(v).map(p => (p === "." ? k : `${k}.${p}`)),
    ),
  ];

  it("a Cache gets its simple defaults from the API server, webhook or not", () => {
    const spec = specOf("caches.yaml");
    expect(spec.properties.replicas.default).toBe(1);
    expect(spec.properties.image.default).toBe(DEFAULT_REGISTRY_IMAGE);
    expect(spec.properties.cacheTTL.default).toBe(DEFAULT_CACHE_TTL);
  });

  it("a Registry and a template get none: they would override the template's values", () => {
    expect(defaults(specOf("registries.yaml"))).toEqual([]);
    expect(defaults(specOf("registrytemplates.yaml"))).toEqual([]);
  });
});
