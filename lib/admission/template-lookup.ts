import { K8s } from "pepr";
import { RegistryTemplate } from "../api/kinds";
import type { TemplateLike } from "./resolve";

/**
 * The named RegistryTemplate, or undefined when it does not exist. Other API errors are thrown:
 * admission must not treat "could not ask" as "not there".
 */
export async function findTemplate(name: string): Promise<TemplateLike | undefined> {
  try {
    const t = await K8s(RegistryTemplate).Get(name);
    return { name, resourceVersion: t.metadata?.resourceVersion, spec: t.spec };
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}
