// The module as `npx pepr build` emits it for `pepr deploy`: one YAML of many documents.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Rule } from "./rbac-usage";

export const MANIFEST_FILE = "pepr-module-registry-operator.yaml";

export type ManifestDoc = {
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
  spec?: {
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: { serviceAccountName?: string; securityContext?: { seccompProfile?: object } };
    };
  };
  data?: Record<string, string>;
};

/** The documents of the manifest in build output `dir`. */
export function moduleManifest(dir: string): ManifestDoc[] {
  const docs = parseAllDocuments(readFileSync(join(dir, MANIFEST_FILE), "utf8"));
  return docs.map(d => d.toJS() as ManifestDoc).filter(Boolean);
}

/** The Deployment running the module's reconcilers (Pepr names it `…-watcher`). */
export function watcherDeployment(docs: ManifestDoc[]): ManifestDoc {
  const watcher = docs.find(d => d.kind === "Deployment" && d.metadata?.name?.endsWith("-watcher"));
  if (!watcher) throw new Error(`${MANIFEST_FILE}: no watcher Deployment`);
  return watcher;
}

/** The ServiceAccount the module's pods run as. */
export function moduleAccount(docs: ManifestDoc[]): string {
  const account = watcherDeployment(docs).spec?.template?.spec?.serviceAccountName;
  if (!account) throw new Error(`${MANIFEST_FILE}: the watcher Deployment names no ServiceAccount`);
  return account;
}

const RBAC_KINDS = new Set([
  "ServiceAccount",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
]);

/** The module's identity: its ServiceAccount, roles and bindings. */
export const moduleIdentity = (docs: ManifestDoc[]) =>
  docs.filter(d => RBAC_KINDS.has(d.kind ?? ""));
