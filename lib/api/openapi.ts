import { z } from "zod";

type Node = Record<string, unknown>;

// Bounds the API server checks itself; its message names the field, the value and the bound.
// Formats are checked by CEL rules with our own messages (fields/schema-rule.ts), not `pattern`.
const BOUNDS = [
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "maxProperties",
];

// Keywords Kubernetes structural schemas accept and we keep.
// Defaults (set with .meta({ default })) are applied by the API server itself, webhook or not.
const KEEP = new Set([
  ...BOUNDS,
  "x-kubernetes-validations",
  "type",
  "description",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "enum",
  "default",
  "x-kubernetes-int-or-string",
  "x-kubernetes-preserve-unknown-fields",
]);

function structural(input: Node): Node {
  if (input["x-kubernetes-int-or-string"]) {
    return dropUndefined({
      description: input.description,
      "x-kubernetes-int-or-string": true,
      "x-kubernetes-validations": input["x-kubernetes-validations"],
    });
  }
  if (input["x-kubernetes-preserve-unknown-fields"]) {
    return dropUndefined({
      description: input.description,
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
    });
  }
  let node = input;
  const alternatives = (node.anyOf ?? node.oneOf) as Node[] | undefined;
  if (alternatives) {
    const types = new Set(alternatives.map(a => a.type));
    if (types.size !== 1)
      throw new Error(`cannot express a union of ${[...types].join(", ")} in a CRD schema`);
    // One type, several shapes (IPv4 or IPv6): the first alternative's bounds would refuse the
    // others, so only the union's own rules and bounds are kept.
    node = {
      ...withoutBounds(alternatives[0]),
      ...Object.fromEntries(Object.entries(node).filter(([k]) => BOUNDS.includes(k))),
      description: node.description,
      "x-kubernetes-validations": node["x-kubernetes-validations"],
    };
  }
  // description and type first, so the generated YAML reads top-down.
  const out: Node = { description: node.description, type: node.type };
  for (const [key, value] of Object.entries(node)) {
    if (!KEEP.has(key) || value === undefined || isSafeIntegerLimit(key, value)) continue;
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Node>).map(([k, v]) => [k, structural(v)]),
      );
    } else if (key === "items") {
      out.items = structural(value as Node);
    } else if (key === "additionalProperties") {
      // `false` (strict objects) is implied: the API server prunes and kubectl rejects unknown fields.
      if (typeof value === "object") out.additionalProperties = structural(value as Node);
    } else if (key === "required") {
      if ((value as string[]).length) out.required = value;
    } else {
      out[key] = value;
    }
  }
  return dropUndefined(out);
}

function withoutBounds(node: Node): Node {
  return Object.fromEntries(Object.entries(node).filter(([k]) => !BOUNDS.includes(k)));
}

// zod marks every integer with ±Number.MAX_SAFE_INTEGER: no bound the user set.
function isSafeIntegerLimit(key: string, value: unknown): boolean {
  return (
    (key === "minimum" || key === "maximum") &&
    Math.abs(value as number) === Number.MAX_SAFE_INTEGER
  );
}

function dropUndefined(node: Node): Node {
  return Object.fromEntries(Object.entries(node).filter(([, v]) => v !== undefined));
}

/** A zod schema as a Kubernetes structural OpenAPI v3 schema (what a CRD's openAPIV3Schema needs). */
export function toOpenApi(schema: z.ZodType): Node {
  return structural(
    z.toJSONSchema(schema, {
      target: "openapi-3.0",
      io: "input",
      unrepresentable: "throw",
    }) as Node,
  );
}
