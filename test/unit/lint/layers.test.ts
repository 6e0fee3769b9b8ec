import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "../../..");

/** The layering rule's messages for `code` placed at `file` (the file need not exist). */
function layerErrors(file: string, code: string): string[] {
  const out = execFileSync(
    process.execPath,
    [join(root, "test/support/lint-layers.mjs"), join(root, file)],
    { cwd: root, input: code, encoding: "utf8" },
  );
  return JSON.parse(out) as string[];
}

describe("the layering lint (eslint.config.mjs)", () => {
  it("refuses a render file that imports the engine", () => {
    expect(
      layerErrors(
        "lib/render/layer-probe.ts",
        'import { applyChildren } from "../engine/children";\nexport const x = applyChildren;\n',
      ),
    ).toEqual([expect.stringMatching(/^no-restricted-imports: .*lib\/render may not import/)]);
  });

  it("refuses the same import written through the project root", () => {
    expect(
      layerErrors("lib/render/probe.ts", 'import "../../lib/engine/children";\n'),
    ).toHaveLength(1);
    expect(layerErrors("lib/render/probe.ts", 'import "../../lib/kube/client";\n')).toHaveLength(1);
    expect(layerErrors("lib/render/probe.ts", 'import "../../lib/api/labels";\n')).toEqual([]);
  });

  it("refuses an api file that imports anything of ours, and an engine file that imports render", () => {
    expect(layerErrors("lib/api/fields/probe.ts", 'import "../../kube/client";\n')).toHaveLength(1);
    expect(layerErrors("lib/engine/probe.ts", 'import "../render/names";\n')).toHaveLength(1);
    expect(layerErrors("lib/engine/probe.ts", 'import "../api/labels";\n')).toHaveLength(1);
    // No exception: the object shapes and quantities the engine needs are Kubernetes' own.
    expect(layerErrors("lib/engine/probe.ts", 'import "../api/fields/quantity";\n')).toHaveLength(
      1,
    );
  });

  it("keeps the bottom layers (Kubernetes' facts, metric names) free of everything of ours", () => {
    for (const file of ["lib/kubernetes/probe.ts", "lib/telemetry/probe.ts"])
      expect(
        layerErrors(
          file,
          'import "../api/labels";\nimport "../engine/kinds";\nimport "../kube/client";\n',
        ),
      ).toHaveLength(3);
    expect(
      layerErrors(
        "lib/engine/probe.ts",
        'import "../kubernetes/objects";\nimport "../kubernetes/quantity";\nimport "../telemetry/metric-names";\n',
      ),
    ).toEqual([]);
    expect(layerErrors("lib/api/fields/probe.ts", 'import "../../kubernetes/quantity";\n')).toEqual(
      [],
    );
  });

  it("keeps lib/crds and lib/module out of the layers below them, and capabilities out of controllers", () => {
    for (const file of ["lib/render/probe.ts", "lib/engine/probe.ts", "lib/kube/probe.ts"])
      expect(layerErrors(file, 'import "../module/metrics";\nimport "../crds/install";\n')).toEqual(
        [
          expect.stringMatching(/^no-restricted-imports: /),
          expect.stringMatching(/^no-restricted-imports: /),
        ],
      );
    expect(layerErrors("lib/module/probe.ts", 'import "../controllers/registry";\n')).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*lib\/module may not import/),
    ]);
    expect(layerErrors("lib/crds/probe.ts", 'import "../render/names";\n')).toHaveLength(1);
    expect(
      layerErrors("lib/controllers/probe.ts", 'import "../../capabilities/registry";\n'),
    ).toHaveLength(1);
    // The module's root file, not the pepr package.
    expect(layerErrors("lib/api/probe.ts", 'import "../../pepr";\nimport "pepr";\n')).toHaveLength(
      1,
    );
  });

  it("refuses a dynamic import() anywhere in lib/, which the import rule would not see", () => {
    expect(
      layerErrors(
        "lib/render/probe.ts",
        'export const load = () => import("../engine/children");\n',
      ),
    ).toEqual([expect.stringMatching(/^no-restricted-syntax: .*dynamic import\(\)/)]);
    expect(
      layerErrors("lib/controllers/probe.ts", 'export const load = () => import("./registry");\n'),
    ).toHaveLength(1);
  });

  it("lets each layer import what lies below it", () => {
    expect(
      layerErrors("lib/render/probe.ts", 'import "../api/labels";\nimport "./names";\n'),
    ).toEqual([]);
    expect(
      layerErrors("lib/engine/probe.ts", 'import "../kube/client";\nimport "./kinds";\n'),
    ).toEqual([]);
    expect(
      layerErrors("lib/api/fields/probe.ts", 'import "../group";\nimport "./kube";\n'),
    ).toEqual([]);
    expect(
      layerErrors(
        "lib/module/probe.ts",
        'import "../api/labels";\nimport "../engine/metrics";\nimport "../kube/client";\n',
      ),
    ).toEqual([]);
    expect(
      layerErrors(
        "lib/controllers/probe.ts",
        'import "../module/metrics";\nimport "../crds/install";\n',
      ),
    ).toEqual([]);
  });
});
