import { GVK, type RegistryTemplate } from "../api/kinds";
import { K8s } from "../kube/client";
import { unlessMissing } from "../kube/errors";
import type { TemplateLike } from "./resolve";

/**
 * The named RegistryTemplate, or undefined when it does not exist. Other API errors are thrown:
 * admission must not treat "could not ask" as "not there".
 */
export async function findTemplate(name: string): Promise<TemplateLike | undefined> {
  const t = await unlessMissing(
    K8s<RegistryTemplate>(GVK.RegistryTemplate, { pool: "admission" }).Get(name),
  );
  return t && { name, resourceVersion: t.metadata?.resourceVersion, spec: t.spec };
}
