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
// `pepr$` is the module's root file (pepr.ts), not the pepr package (never imported by a path).
const ALL = [
  "api",
  "admission",
  "render",
  "dependencies",
  "engine",
  "controllers",
  "kube",
  "crds",
  "module",
  "capabilities",
  "pepr$",
];
const LAYERS = {
  // The bottom: Kubernetes' own facts (object shapes, the quantity grammar) and the operator's
  // metric names (a contract between the engine that exports them and the alerts that query them).
  kubernetes: [...ALL, "telemetry"],
  telemetry: [...ALL, "kubernetes"],
  api: ALL.filter(f => f !== "api"),
  render: ["engine", "controllers", "capabilities", "kube", "admission", "crds", "module", "pepr$"],
  engine: [
    "api",
    "render",
    "dependencies",
    "controllers",
    "admission",
    "crds",
    "module",
    "capabilities",
    "pepr$",
  ],
  // Providers read through the reader they are given, so render can use their render halves.
  dependencies: [
    "engine",
    "controllers",
    "kube",
    "admission",
    "crds",
    "module",
    "capabilities",
    "pepr$",
  ],
  admission: ["engine", "controllers", "kube", "crds", "module", "capabilities", "pepr$"],
  kube: [
    "admission",
    "render",
    "dependencies",
    "engine",
    "controllers",
    "crds",
    "module",
    "capabilities",
    "pepr$",
  ],
  // The library extensions build on (lib/extend/index.ts): the API, the client, pure render.
  extend: [
    "engine",
    "controllers",
    "admission",
    "dependencies",
    "crds",
    "module",
    "capabilities",
    "pepr$",
  ],
  // Controllers may use every layer of lib/, never the Pepr bindings that call them.
  controllers: ["capabilities", "pepr$"],
  // Start-up: the API, the engine and the client only.
  crds: ["admission", "render", "dependencies", "controllers", "module", "capabilities", "pepr$"],
  module: ["admission", "render", "dependencies", "controllers", "crds", "capabilities", "pepr$"],
};
// Climbing out of lib/ and back in (`../../lib/engine`) is the same import.
const climbsInto = folders => `(^|/)\\.\\./(\\.\\./)*(lib/)?(${folders.join("|")})`;
export const layerRules = Object.entries(LAYERS).map(([folder, forbidden]) => ({
  files: [`lib/${folder}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: `${climbsInto(forbidden.map(f => (/[)$]$/.test(f) ? f : `${f}(/|$)`)))}`,
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
    ignores: [
      "**/node_modules",
      "**/dist",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
      ".test-results",
      ".bench-results",
    ],
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
  // A dynamic import() is not an import declaration: no-restricted-imports would not see it.
  {
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportExpression",
          message:
            "lib/ uses no dynamic import(): a static import is what the layering rule checks (docs/architecture.md).",
        },
      ],
    },
  },
];
