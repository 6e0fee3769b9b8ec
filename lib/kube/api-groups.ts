import { transport } from "./client";
import { unlessMissing } from "./errors";

const served = new Map<string, Promise<boolean>>();

/**
 * Whether the API server serves `group` (discovery, `GET /apis/<group>`). Asked once per process:
 * a cluster does not change what it is; a failed ask is not remembered, so it is asked again.
 */
export function servesApiGroup(group: string): Promise<boolean> {
  let answer = served.get(group);
  if (!answer) {
    answer = unlessMissing(transport().request({ method: "GET", path: `/apis/${group}` })).then(
      found => found !== undefined,
    );
    answer.catch(() => served.delete(group));
    served.set(group, answer);
  }
  return answer;
}

/** How long an answer of `servedKinds` holds: CRDs installed later are found within this. */
const KINDS_MAX_AGE_MS = 15_000;
const kinds = new Map<string, { at: number; answer: Promise<Set<string>> }>();

/**
 * The kinds the API server serves in `apiVersion` (discovery, `GET /apis/<group>/<version>`;
 * empty when it serves none). Of optional ecosystems (prometheus-operator's CRDs), which may be
 * installed or removed at any time: one request per API version and 15 s, however many
 * objects ask; a failed ask is not remembered.
 */
export function servedKinds(apiVersion: string, now = Date.now()): Promise<Set<string>> {
  const held = kinds.get(apiVersion);
  if (held && now - held.at < KINDS_MAX_AGE_MS) return held.answer;
  const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const answer = unlessMissing(
    transport().request<{ resources?: { kind: string; name: string }[] }>({ method: "GET", path }),
  ).then(
    list => new Set((list?.resources ?? []).filter(r => !r.name.includes("/")).map(r => r.kind)),
  );
  answer.catch(() => kinds.delete(apiVersion));
  kinds.set(apiVersion, { at: now, answer });
  return answer;
}

/** Forgets every answer (tests that change what the API server serves). */
export function forgetApiGroups(): void {
  served.clear();
  kinds.clear();
}
