import typescriptEslint from "@typescript-eslint/eslint-plugin";
import tsParser from "@typescript-eslint/parser";
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import { FlatCompat } from "@eslint/eslintrc";
import globals from "globals";

const __filename = fileURLToPath(import.meta.url);
const __dirname = path.dirname(__filename);
// What each folder may not import (see docs/architecture.md). A path is matched when it climbs
// (`../`) into one of these folders; imports within a folder never climb into its own name.
const LAYERS = {
  api: [
    "admission",
    "render",
    "dependencies",
    "engine",
    "controllers",
    "kube",
    "crds",
    "module",
    "capabilities",
  ],
  render: ["engine", "controllers", "capabilities", "kube", "admission"],
  // Kubernetes facts the engine shares with the schema and render: the apimachinery quantity
  // grammar (the drift check compares quantities), the shapes of objects (api/objects) and the
  // names of the metrics it exports (api/metric-names).
  engine: [
    "api/(?!fields/quantity$|objects$|metric-names$)",
    "render",
    "dependencies",
    "controllers",
    "admission",
    "capabilities",
  ],
  // Providers read through the reader they are given, so render can use their render halves.
  dependencies: ["engine", "controllers", "kube", "admission", "capabilities"],
  admission: ["engine", "controllers", "kube", "capabilities"],
  kube: ["admission", "render", "dependencies", "engine", "controllers", "capabilities"],
};
const climbsInto = folders => `(^|/)\\.\\./(\\.\\./)*(${folders.join("|")})`;
export const layerRules = Object.entries(LAYERS).map(([folder, forbidden]) => ({
  files: [`lib/${folder}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: `${climbsInto(forbidden.map(f => (f.endsWith(")") ? f : `${f}(/|$)`)))}`,
            message: `lib/${folder} may not import this layer (docs/architecture.md).`,
          },
        ],
      },
    ],
  },
}));

const compat = new FlatCompat({
  baseDirectory: __dirname,
  recommendedConfig: js.configs.recommended,
  allConfig: js.configs.all,
});

export default [
  {
    ignores: ["**/node_modules", "**/dist", "**/*.js", "**/*.mjs"],
  },
  ...compat.extends("eslint:recommended", "plugin:@typescript-eslint/recommended"),
  {
    plugins: {
      "@typescript-eslint": typescriptEslint,
    },

    languageOptions: {
      parser: tsParser,
      parserOptions: {
        // The test config covers pepr.ts, capabilities, lib, test and scripts.
        project: ["./tsconfig.test.json"],
        tsconfigRootDir: __dirname,
        sourceType: "module",
      },
      globals: {
        ...globals.node,
      },
    },

    rules: {
      "@typescript-eslint/no-floating-promises": "error",
    },
  },
  ...layerRules,
];
