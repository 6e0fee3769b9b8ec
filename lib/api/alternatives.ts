/**
 * Blocks of a Registry spec that hold at most one of several alternatives, each a unit of fields
 * (COSI's two classes are one unit). Keyed by the block's path below spec. Template merging drops
 * the other units when one is chosen; admission refuses a block that sets two.
 */
export const ALTERNATIVES: Record<string, string[][]> = {
  storage: [["emptyDir"], ["filesystem"], ["s3"], ["bucketClassName", "bucketAccessClass"]],
  tls: [["selfSigned"], ["secretName"], ["issuerRef"]],
  redis: [["managed"], ["external"]],
  auth: [["htpasswd"], ["token"]],
};
