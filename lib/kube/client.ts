import { loadConnection } from "./connection";
import { Transport, type ApiRequest, type Pool } from "./transport";

/** How the API server addresses a kind. */
export interface Gvk {
  group: string;
  version: string;
  kind: string;
  plural: string;
}

/** What the client needs to know of an object it sends: where it goes. */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

export interface JsonPatchOp {
  op: "add" | "remove" | "replace" | "test" | "move" | "copy";
  path: string;
  value?: unknown;
}

interface Filters {
  namespace?: string;
  name?: string;
  labels: Record<string, string>;
  pool?: Pool;
}

/** The operator's field manager for server-side apply (the name objects already carry). */
export const FIELD_MANAGER = "pepr";
const PAGE_SIZE = 500;

let shared: Transport | undefined;

/** The process' one transport, built from the kubeconfig on first use. */
export function transport(): Transport {
  return (shared ??= new Transport(loadConnection()));
}

/** Replaces the process' transport (tests, or another API server); the old one is closed. */
export function useTransport(t: Transport | undefined): void {
  if (shared && shared !== t) shared.close();
  shared = t;
}

/** The collection or object path of `gvk` (namespaced when `namespace` is set). */
export function resourcePath(gvk: Gvk, namespace?: string, name?: string): string {
  const base = gvk.group ? `/apis/${gvk.group}/${gvk.version}` : `/api/${gvk.version}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${gvk.plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
}

export interface KubeClient<T> {
  InNamespace(namespace: string): KubeClient<T>;
  WithLabel(key: string, value?: string): KubeClient<T>;
  /** One object by name (404 throws, see `unlessMissing`). */
  Get(name: string): Promise<T>;
  /** Every object matching the filters, all pages. */
  Get(): Promise<{ items: T[] }>;
  /** Server-side apply as the operator's field manager (or `fieldManager`). */
  Apply<O extends ApiObject>(obj: O, opts?: { force?: boolean; fieldManager?: string }): Promise<T>;
  Create<O extends ApiObject>(obj: O): Promise<T>;
  /** Deletes by name; an object already gone is not an error. */
  Delete(name: string): Promise<void>;
  /** A JSON patch of the object the client was bound to by name. */
  Patch(ops: JsonPatchOp[]): Promise<T>;
  /** A merge patch of `.status` through the status subresource. */
  PatchStatus(obj: {
    metadata?: { name?: string; namespace?: string };
    status: unknown;
  }): Promise<T>;
}

/**
 * A client for one kind, shaped like the fluent API Pepr offers (`InNamespace`, `WithLabel`,
 * `Get`, `Apply`, ...) but sending every request through the one pooled transport.
 */
export function K8s<T = ApiObject>(
  gvk: Gvk,
  bound: { namespace?: string; name?: string; pool?: Pool } = {},
): KubeClient<T> {
  return bind<T>(gvk, { ...bound, labels: {} });
}

function bind<T>(gvk: Gvk, f: Filters): KubeClient<T> {
  const send = <R>(req: Omit<ApiRequest, "pool">) =>
    transport().request<R>({ ...req, pool: f.pool });
  const target = (obj: { metadata?: { name?: string; namespace?: string } }) => ({
    namespace: obj.metadata?.namespace ?? f.namespace,
    name: obj.metadata?.name ?? f.name,
  });
  async function list(): Promise<{ items: T[] }> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
      const selector = Object.entries(f.labels).map(([k, v]) => (v ? `${k}=${v}` : k));
      if (selector.length) q.set("labelSelector", selector.join(","));
      if (token) q.set("continue", token);
      const page = await send<{ items?: T[]; metadata?: { continue?: string } }>({
        method: "GET",
        path: `${resourcePath(gvk, f.namespace)}?${q}`,
      });
      items.push(...(page.items ?? []));
      token = page.metadata?.continue || undefined;
    } while (token);
    return { items };
  }
  return {
    InNamespace: namespace => bind(gvk, { ...f, namespace }),
    WithLabel: (key, value = "") => bind(gvk, { ...f, labels: { ...f.labels, [key]: value } }),
    Get: ((name?: string) => {
      const n = name ?? f.name;
      return n ? send<T>({ method: "GET", path: resourcePath(gvk, f.namespace, n) }) : list();
    }) as KubeClient<T>["Get"],
    Apply: (obj, opts = {}) => {
      const t = target(obj);
      const q = new URLSearchParams({
        fieldManager: opts.fieldManager ?? FIELD_MANAGER,
        fieldValidation: "Strict",
        force: String(!!opts.force),
      });
      const body = { apiVersion: groupVersion(gvk), kind: gvk.kind, ...obj };
      return send<T>({
        method: "PATCH",
        path: `${resourcePath(gvk, t.namespace, t.name)}?${q}`,
        body,
        contentType: "application/apply-patch+yaml", // JSON is YAML
      });
    },
    Create: obj => {
      const body = { apiVersion: groupVersion(gvk), kind: gvk.kind, ...obj };
      return send<T>({ method: "POST", path: resourcePath(gvk, target(obj).namespace), body });
    },
    Delete: async name => {
      try {
        await send({ method: "DELETE", path: resourcePath(gvk, f.namespace, name) });
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err;
      }
    },
    Patch: ops =>
      send<T>({
        method: "PATCH",
        path: resourcePath(gvk, f.namespace, f.name),
        body: ops,
        contentType: "application/json-patch+json",
      }),
    PatchStatus: obj => {
      const t = target(obj);
      return send<T>({
        method: "PATCH",
        path: `${resourcePath(gvk, t.namespace, t.name)}/status`,
        body: { status: obj.status },
        contentType: "application/merge-patch+json",
      });
    },
  };
}

const groupVersion = (gvk: Gvk) => (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);
