import { z } from "zod";
import { parseQuantity } from "../../kubernetes/quantity";
import { Quantity } from "./quantity";
import { schemaRules } from "./schema-rule";

const RESOURCE_NAMES = ["cpu", "memory", "ephemeral-storage"] as const;

const ResourceList = z
  .strictObject({
    cpu: Quantity.optional(),
    memory: Quantity.optional(),
    "ephemeral-storage": Quantity.optional(),
  })
  .meta({ description: "Amounts by resource name: cpu, memory, ephemeral-storage." });

/** CEL names a property with a dash by escaping it. */
const celName = (name: string) => name.replaceAll("-", "__dash__");

/**
 * A request above its limit, per resource, compared by the API server's own quantity parser (an
 * unparsable quantity is left to its own rule), with the webhook's message.
 */
function requestWithinLimit(name: string) {
  const [request, limit] = [`self.requests.${celName(name)}`, `self.limits.${celName(name)}`];
  return {
    rule: `!has(self.requests) || !has(self.limits) || !has(${request}) || !has(${limit}) || ${[
      `!isQuantity(string(${request}))`,
      `!isQuantity(string(${limit}))`,
      `!quantity(string(${request})).isGreaterThan(quantity(string(${limit})))`,
    ].join(" || ")}`,
    messageExpression: `'request ' + string(${request}) + ' is greater than limit ' + string(${limit})`,
    fieldPath: name.includes("-") ? `.requests['${name}']` : `.requests.${name}`,
  };
}

/** Container resources; every request must be at most its limit, as the API server demands of pods. */
export const Resources = z
  .strictObject({
    requests: ResourceList.optional().meta({
      description: "Minimum resources the scheduler reserves.",
    }),
    limits: ResourceList.optional().meta({
      description: "Maximum resources the container may use.",
    }),
  })
  .meta(schemaRules(...RESOURCE_NAMES.map(requestWithinLimit)))
  .superRefine((r, ctx) => {
    for (const [name, request] of Object.entries(r.requests ?? {})) {
      const limit = r.limits?.[name as keyof typeof r.limits];
      if (request === undefined || limit === undefined) continue;
      const [req, lim] = [parseQuantity(request), parseQuantity(limit)];
      if (req !== undefined && lim !== undefined && req > lim) {
        ctx.addIssue({
          code: "custom",
          path: ["requests", name],
          message: `request ${request} is greater than limit ${limit}`,
        });
      }
    }
  });
export type Resources = z.infer<typeof Resources>;
