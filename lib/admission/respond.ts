import type { PeprValidateRequest } from "pepr";
import type { KubernetesObject } from "kubernetes-fluent-client";
import type { Verdict } from "./verdict";

/**
 * Turns a verdict into an admission response. A check that throws is a bug in the operator, never
 * the user's fault: it is denied with a message saying so instead of surfacing as an HTTP 500.
 */
export async function respond<T extends KubernetesObject>(
  req: PeprValidateRequest<T>,
  check: () => Verdict | Promise<Verdict>,
) {
  const kind = req.Request.kind.kind;
  // Only a string: this function must not throw (Pepr answers a throw with HTTP 500), and an
  // object in its place may not even turn into one.
  const named: unknown = req.Raw.metadata?.name ?? req.Raw.metadata?.generateName;
  const name = typeof named === "string" ? named : "";
  try {
    const v = await check();
    if (v.allowed) return req.Approve(v.warnings.length ? v.warnings : undefined);
    return req.Deny(`${kind} ${name} is invalid: ${v.problems.join("; ")}`, 422, v.warnings);
  } catch (err) {
    return req.Deny(`${kind} ${name} could not be checked (operator error: ${String(err)})`, 422);
  }
}
