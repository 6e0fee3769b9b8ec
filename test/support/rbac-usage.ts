// Which of the module's grants its requests used, from the API server's audit log: a grant never
// used in the whole test run is more power than the module needs (or a path no test takes), and a
// request RBAC refused a missing grant the code may have swallowed. Pure: scripts/test/rbac-usage.ts
// reads the files.

/** One RBAC rule, as a ClusterRole lists it. */
export interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
}

/** One line of the audit log (audit.k8s.io/v1 Event), the fields read here. */
export interface AuditEvent {
  stage?: string;
  verb?: string;
  user?: { username?: string };
  objectRef?: { apiGroup?: string; resource?: string; subresource?: string; name?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
  /** `authorization.k8s.io/decision`: `allow` or `forbid` (RBAC's answer, apart from the response). */
  annotations?: Record<string, string>;
}

/** An API server a test killed and started again: from the kill until it answered /readyz (ISO). */
export interface ApiServerStart {
  from: string;
  to: string;
}

/** Where the fault suites record the API server restarts they cause, in the results directory. */
export const API_SERVER_STARTS_FILE = "apiserver-starts.json";

/** `verb group/resource` (core group as ""), the unit a grant and a request are compared in. */
export const grantKey = (verb: string, group: string, resource: string) =>
  `${verb} ${group}/${resource}`;

/** Every verb × group × resource the rules grant (no wildcards: the build refuses them). */
export function granted(rules: Rule[]): Set<string> {
  const keys = new Set<string>();
  for (const r of rules)
    for (const g of r.apiGroups ?? [])
      for (const res of r.resources ?? [])
        for (const v of r.verbs ?? []) keys.add(grantKey(v, g, res));
  return keys;
}

/**
 * What `user` asked for since `since` (ISO time): the grants used, and the requests RBAC refused.
 * A 403 RBAC allowed (a namespace being deleted takes no new objects) is a use, not a refusal. A
 * patch answered 201 created the object (server-side apply): the API server authorized `create`
 * for it too, so it uses that grant as well. A refusal within one of `starting` (an API server
 * restarted by a test, from its kill until it answered /readyz) is apart: a new API server serves
 * before its RBAC caches are filled, and refuses what it will allow a moment later.
 */
export function used(
  events: AuditEvent[],
  user: string,
  since: string,
  starting: ApiServerStart[] = [],
): { used: Set<string>; refused: string[]; whileStarting: string[] } {
  const usedKeys = new Set<string>();
  const refused = new Set<string>();
  const whileStarting = new Set<string>();
  for (const e of events) {
    if (e.user?.username !== user || !e.objectRef?.resource || !e.verb) continue;
    if ((e.requestReceivedTimestamp ?? "") < since) continue;
    const { apiGroup = "", resource, subresource } = e.objectRef;
    const path = subresource ? `${resource}/${subresource}` : resource;
    const key = grantKey(e.verb, apiGroup, path);
    if (e.annotations?.["authorization.k8s.io/decision"] === "forbid") {
      const at = e.requestReceivedTimestamp ?? "";
      (starting.some(s => s.from <= at && at <= s.to) ? whileStarting : refused).add(key);
      continue;
    }
    usedKeys.add(key);
    if (e.verb === "patch" && e.responseStatus?.code === 201)
      usedKeys.add(grantKey("create", apiGroup, path));
  }
  return { used: usedKeys, refused: [...refused].sort(), whileStarting: [...whileStarting].sort() };
}

/** Grants no request used, less those `unexercised` names (each with its reason). */
export function unusedGrants(
  grants: Set<string>,
  usedKeys: Set<string>,
  unexercised: Record<string, string>,
): string[] {
  return [...grants].filter(k => !usedKeys.has(k) && !(k in unexercised)).sort();
}

/** Entries of `unexercised` that are no longer granted. */
export function staleExceptions(
  grants: Set<string>,
  unexercised: Record<string, string>,
): string[] {
  return Object.keys(unexercised)
    .filter(k => !grants.has(k))
    .sort();
}
