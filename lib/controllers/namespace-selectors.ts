import type { Registry } from "../api/kinds";
import { enqueueCredentialsOf } from "./credentials";
import { enqueueRegistry } from "./registry";

/**
 * Registries whose spec.auth selects namespaces by label (`allowedNamespaces.from: Selector`), by
 * `namespace/name`: a namespace created or relabelled may let their credentials in, or no longer.
 */
const selecting = new Set<string>();

/** Records whether a Registry (as last seen; undefined: deleted) selects namespaces by label. */
export function trackNamespaceSelector(namespace: string, name: string, r?: Registry): void {
  const key = `${namespace}/${name}`;
  if (r?.spec?.auth?.allowedNamespaces?.from === "Selector") selecting.add(key);
  else selecting.delete(key);
}

/**
 * A namespace appeared or its labels changed: each Registry selecting namespaces gathers its
 * accounts again, and the credentials on it (or waiting for it) check whether they are let in.
 */
export function requeueNamespaceSelectors(): void {
  for (const key of selecting) {
    const [namespace, name] = key.split("/");
    enqueueRegistry(namespace, name);
    enqueueCredentialsOf(namespace, name);
  }
}
