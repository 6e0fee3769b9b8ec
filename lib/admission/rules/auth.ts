import { selectorProblems } from "../../api/fields/label-selector";
import type { RegistrySpec } from "../../api/registry-spec";

/** What is wrong with `auth` beyond its schema. */
export function authProblems(spec: RegistrySpec): string[] {
  const selector = spec.auth?.allowedNamespaces?.selector;
  return selector ? selectorProblems(selector, "spec.auth.allowedNamespaces.selector") : [];
}

/** Basic auth over plain HTTP sends every password in clear text. */
export function authWarnings(spec: RegistrySpec): string[] {
  if (spec.auth?.htpasswd && (!spec.tls || spec.tls.disabled))
    return [
      "spec.auth.htpasswd: the registry serves plain HTTP, so every client sends its password in clear text; serve TLS (spec.tls) with authentication",
    ];
  return [];
}
