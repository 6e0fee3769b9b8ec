import type { kind } from "pepr";
import type { Resources } from "../api/fields/resources";

export type TopologySpread = NonNullable<
  NonNullable<kind.Pod["spec"]>["topologySpreadConstraints"]
>;

type Quantities = Record<string, string | number | undefined>;
const asStrings = (list: Quantities | undefined) =>
  list &&
  Object.fromEntries(
    Object.entries(list).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
  );

/** A container's resources as the API writes them: every quantity a string. */
export function containerResources(r: Resources | undefined): {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
} {
  if (!r) return {};
  const requests = asStrings(r.requests);
  const limits = asStrings(r.limits);
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

/**
 * A pod-spec field the user writes as in a pod spec (a topology spread constraint): stored as
 * written and checked by the API server against its own schema when the workload is applied.
 */
export const asWritten = <T>(value: unknown): T => value as T;
