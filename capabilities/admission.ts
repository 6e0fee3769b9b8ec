import { Log } from "pepr";
import { admissionHandlers, namespaceOf, type AdmissionRequest } from "../lib/admission/handlers";
import { describeError } from "../lib/kube/errors";
import { findRegistry, namespaceLabels } from "../lib/kube/registry-lookup";
import { findTemplate } from "../lib/kube/template-lookup";

/** Each kind's admission steps, asking the cluster from admission's own connection pool. */
export const admission = admissionHandlers({
  findTemplate: name => findTemplate(name),
  findRegistry: (namespace, name) => findRegistry(namespace, name),
  namespaceLabels: namespace => namespaceLabels(namespace),
});

/** Runs a kind's mutation; what it failed on is logged, and the object goes on as sent. */
export async function mutate(
  kind: keyof typeof admission.mutate,
  req: AdmissionRequest & { Raw: { metadata?: { name?: string } } },
): Promise<void> {
  const failed = await admission.mutate[kind](req);
  if (failed === undefined) return;
  Log.warn(
    `${kind} ${namespaceOf(req)}/${req.Raw.metadata?.name ?? ""}: not resolved at admission (${describeError(failed)}); validated as sent`,
  );
}
