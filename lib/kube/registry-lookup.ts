import { GVK, type ImagePullSecret, type Registry } from "../api/kinds";
import { K8s } from "./client";
import type { Pool } from "./transport";
import { unlessMissing } from "./errors";

/**
 * The named Registry, or undefined when it does not exist. Other API errors are thrown: "could not
 * ask" is not "not there". Admission asks from its own pool; reconcile passes `"reconcile"`.
 */
export async function findRegistry(
  namespace: string,
  name: string,
  pool: Pool = "admission",
): Promise<Registry | undefined> {
  return unlessMissing(K8s<Registry>(GVK.Registry, { pool }).InNamespace(namespace).Get(name));
}

/** A namespace's labels, or undefined when it does not exist. */
export async function namespaceLabels(
  name: string,
  pool: Pool = "admission",
): Promise<Record<string, string> | undefined> {
  const gvk = { group: "", version: "v1", kind: "Namespace", plural: "namespaces" };
  const ns = await unlessMissing(
    K8s<{ metadata?: { labels?: Record<string, string> } }>(gvk, { pool }).Get(name),
  );
  return ns && (ns.metadata?.labels ?? {});
}

/** The ImagePullSecrets of a namespace (admission reads them for a ServiceAccount being created). */
export async function pullSecretsIn(
  namespace: string,
  pool: Pool = "admission",
): Promise<ImagePullSecret[]> {
  return (await K8s<ImagePullSecret>(GVK.ImagePullSecret, { pool }).InNamespace(namespace).Get())
    .items;
}
