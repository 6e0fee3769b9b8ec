import type { SchemaRule } from "./fields/schema-rule";

/**
 * Blocks of a Registry spec that hold at most one of several alternatives, each a unit of fields
 * (COSI's two classes are one unit). Keyed by the block's path below spec. Template merging drops
 * the other units when one is chosen; admission refuses a block that sets two.
 */
export const ALTERNATIVES: Record<string, string[][]> = {
  storage: [["emptyDir"], ["filesystem"], ["s3"], ["bucketClassName", "bucketAccessClass"]],
  tls: [["selfSigned"], ["secretName"], ["issuerRef"], ["disabled"]],
  redis: [["managed"], ["external"]],
  auth: [["htpasswd"], ["token"]],
};

/** What the webhook and the schema say when a block sets two alternatives. */
export const onlyOneOf = (block: keyof typeof ALTERNATIVES) =>
  `set only one of ${ALTERNATIVES[block].flat().join(", ")}`;

/**
 * The CRD schema's rule that `block` sets at most one alternative. Its message cannot list which
 * were found, as the webhook's does: joining a list costs more than the API server's budget.
 */
export function atMostOneAlternative(
  block: keyof typeof ALTERNATIVES,
  message: string,
): SchemaRule {
  const isSet = (unit: string[]) => `(${unit.map(k => `has(self.${k})`).join(" || ")})`;
  return {
    rule: `[${ALTERNATIVES[block].map(isSet).join(", ")}].filter(x, x).size() <= 1`,
    message,
  };
}
