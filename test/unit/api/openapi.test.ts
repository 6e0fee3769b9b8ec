import { z } from "zod";
import { matches, schemaRules } from "../../../lib/api/fields/schema-rule";
import { toOpenApi } from "../../../lib/api/openapi";

describe("CRD schema from zod", () => {
  it("keeps the bounds the API server checks itself", () => {
    const schema = toOpenApi(
      z.strictObject({
        n: z.number().int().min(1).max(9),
        s: z.string().min(3).max(63),
        a: z.array(z.string()).min(1).max(4),
      }),
    ) as { properties: Record<string, object> };
    expect(schema.properties).toMatchObject({
      n: { minimum: 1, maximum: 9 },
      s: { minLength: 3, maxLength: 63 },
      a: { minItems: 1, maxItems: 4 },
    });
  });

  it("leaves out the limits zod puts on every integer", () => {
    const node = toOpenApi(z.number().int());
    expect(node).toEqual({ type: "integer" });
  });

  it("keeps a union's own rules but not one alternative's bounds, which would refuse the others", () => {
    const rule = { rule: "isIP(self)", message: "must be an IP address" };
    const node = toOpenApi(z.union([z.ipv4(), z.ipv6()]).meta(schemaRules(rule)));
    expect(node).toEqual({ type: "string", "x-kubernetes-validations": [rule] });
  });

  it("writes a pattern as a CEL rule with its message, case-insensitive when the RegExp is", () => {
    expect(matches(/^a+$/i, "only a")).toEqual({
      rule: "self.matches(r'(?i)^a+$')",
      message: "only a",
    });
    expect(() => matches(/a/g, "m")).toThrow(/only the i flag/);
    expect(() => matches(/'/, "m")).toThrow(/cannot contain '/);
    // What JavaScript has and the API server's RE2 does not.
    for (const p of [/^a(?=b)/, /^a(?!b)/, /(?<=a)b/, /(a)\1/, new RegExp("\\p{L}")])
      expect(() => matches(p, "m")).toThrow(/must be RE2/);
  });
});
