import { KINDS } from "../../lib/engine/kinds";

/**
 * The kinds the operator creates and watches (lib/engine/kinds.ts), as one `kubectl get` argument
 * (`deployments.apps,services,…`): a check of "every child" follows the kind table. Unwatched kinds
 * are left out, as their CRDs may be missing from a cluster.
 */
export const OWNED_KINDS = KINDS.filter(k => k.watch && k.verbs.includes("create"))
  .map(k => (k.group ? `${k.plural}.${k.group}` : k.plural))
  .join(",");
