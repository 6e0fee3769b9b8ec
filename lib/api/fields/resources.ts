import { z } from "zod";
import { Quantity, parseQuantity } from "./quantity";

const ResourceList = z
  .partialRecord(z.enum(["cpu", "memory", "ephemeral-storage"]), Quantity)
  .meta({ description: "Amounts by resource name: cpu, memory, ephemeral-storage." });

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
