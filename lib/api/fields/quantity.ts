import { z } from "zod";
import { parseQuantity } from "../../kubernetes/quantity";
import { schemaRules, showingValue } from "./schema-rule";

const MESSAGE = 'must be a non-negative quantity such as "500m", "2", "1Gi" or "10G"';

/** A non-negative Kubernetes quantity; int-or-string in the CRD, as Kubernetes itself declares it. */
export const Quantity = z
  .union([z.string(), z.number()])
  .refine(v => (parseQuantity(v) ?? -1) >= 0, { message: MESSAGE })
  .meta({
    "x-kubernetes-int-or-string": true,
    // The API server's own quantity parser (the CEL quantity library) decides, as for pods.
    ...schemaRules({
      rule: "type(self) == int ? self >= 0 : isQuantity(self) && !quantity(self).isLessThan(quantity('0'))",
      ...showingValue(MESSAGE),
    }),
  });
export type Quantity = z.infer<typeof Quantity>;
