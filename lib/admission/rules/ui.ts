import type { RegistrySpec } from "../../api/registry-spec";

/**
 * The UI passes every request on to the registry: its Ingress publishes the registry API —
 * pushes and deletes included — wherever the UI is reached. Say so while nothing asks for a login.
 */
export function uiWarnings(spec: RegistrySpec): string[] {
  const host = spec.ui?.ingress?.host;
  if (!host || spec.ui?.enabled === false || spec.auth?.htpasswd) return [];
  return [
    `spec.ui.ingress: the UI passes every registry request on, pushes and deletes too, so ${host} publishes the registry to whoever reaches it; keep a login on it (spec.auth.htpasswd, or any ImagePullSecret or ImagePushSecret of this registry)`,
  ];
}
