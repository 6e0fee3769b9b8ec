import { selectorProblems } from "../../api/fields/label-selector";
import type { RegistrySpec } from "../../api/registry-spec";

/** What is wrong with `auth` beyond its schema. */
export function authProblems(spec: RegistrySpec): string[] {
  const allowed = spec.auth?.allowedNamespaces?.selector;
  const managed = spec.auth?.managedPullSecrets?.namespaceSelector;
  return [
    ...(allowed ? selectorProblems(allowed, "spec.auth.allowedNamespaces.selector") : []),
    ...(managed ? selectorProblems(managed, "spec.auth.managedPullSecrets.namespaceSelector") : []),
  ];
}

/** Basic auth over plain HTTP sends every password in clear text. */
export function authWarnings(spec: RegistrySpec): string[] {
  if (spec.auth?.htpasswd && (!spec.tls || spec.tls.disabled))
    return [
      "spec.auth.htpasswd: the registry serves plain HTTP, so every client sends its password in clear text; serve TLS (spec.tls) with authentication",
    ];
  return [];
}
