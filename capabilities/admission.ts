import { admissionHandlers } from "../lib/admission/handlers";
import { findRegistry, namespaceLabels } from "../lib/kube/registry-lookup";
import { findTemplate } from "../lib/kube/template-lookup";

/** Each kind's admission steps, asking the cluster from admission's own connection pool. */
export const admission = admissionHandlers({
  findTemplate: name => findTemplate(name),
  findRegistry: (namespace, name) => findRegistry(namespace, name),
  namespaceLabels: namespace => namespaceLabels(namespace),
});
