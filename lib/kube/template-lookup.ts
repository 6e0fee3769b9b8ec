import { GVK, type RegistryTemplate } from "../api/kinds";
import { K8s } from "./client";
import type { Pool } from "./transport";
import { unlessMissing } from "./errors";
import type { TemplateLike } from "../api/template-like";

/**
 * The named RegistryTemplate, or undefined when it does not exist. Other API errors are thrown:
 * admission must not treat "could not ask" as "not there". Admission asks from its own pool, so it
 * never waits behind reconcile work; reconcile passes `"reconcile"`.
 */
export async function findTemplate(
  name: string,
  pool: Pool = "admission",
): Promise<TemplateLike | undefined> {
  const t = await unlessMissing(K8s<RegistryTemplate>(GVK.RegistryTemplate, { pool }).Get(name));
  return t && { name, resourceVersion: t.metadata?.resourceVersion, spec: t.spec };
}
