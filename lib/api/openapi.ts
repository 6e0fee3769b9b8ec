import { z } from "zod";

type Node = Record<string, unknown>;

// Keywords Kubernetes structural schemas accept and we keep. Bounds, patterns and formats are left to
// admission, which explains a violation better than the API server's generic message can.
// Defaults (set with .meta({ default })) are applied by the API server itself, webhook or not.
const KEEP = new Set([
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
    return dropUndefined({ description: input.description, "x-kubernetes-int-or-string": true });
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
    node = { ...alternatives[0], description: node.description };
  }
  // description and type first, so the generated YAML reads top-down.
  const out: Node = { description: node.description, type: node.type };
  for (const [key, value] of Object.entries(node)) {
    if (!KEEP.has(key) || value === undefined) continue;
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
