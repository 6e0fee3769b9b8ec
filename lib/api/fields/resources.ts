import { z } from "zod";
import { Quantity, parseQuantity } from "./quantity";
import { schemaRules } from "./schema-rule";

const ResourceList = z
  .partialRecord(z.enum(["cpu", "memory", "ephemeral-storage"]), Quantity)
  // Bounded so the API server's cost estimate of the per-quantity rule stays within budget.
  .meta({
    description: "Amounts by resource name: cpu, memory, ephemeral-storage.",
    maxProperties: 3,
  });

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
  .meta(
    schemaRules({
      // Quantities of either form (int or string) compared by the API server's own parser; an
      // unparsable one is left to its own rule.
      rule: `!has(self.requests) || !has(self.limits) || self.requests.all(k, !(k in self.limits) || ${[
        "!isQuantity(string(self.requests[k]))",
        "!isQuantity(string(self.limits[k]))",
        "!quantity(string(self.requests[k])).isGreaterThan(quantity(string(self.limits[k])))",
      ].join(" || ")})`,
      message: "every request must be at most its limit",
    }),
  )
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
