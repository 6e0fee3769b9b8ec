import type { KubernetesObject } from "kubernetes-fluent-client";
import type { PeprValidateRequest } from "pepr";
import { respond as answer } from "../lib/admission/respond";
import type { Verdict } from "../lib/admission/verdict";
import { admissionTotal } from "../lib/module/registry-metrics";

/** Admission's answer (see lib/admission/respond.ts), counted by kind and result on /metrics. */
export function respond<T extends KubernetesObject>(
  req: PeprValidateRequest<T>,
  check: () => Verdict | Promise<Verdict>,
) {
  const kind = req.Request.kind.kind;
  return answer(req, async () => {
    try {
      const v = await check();
      admissionTotal.inc({ kind, result: v.allowed ? "allowed" : "denied" });
      return v;
    } catch (err) {
      admissionTotal.inc({ kind, result: "error" });
      throw err;
    }
  });
}
