// Counting the operator's own requests at the API server. apiserver_request_total has no user
// label, so two API Priority and Fairness FlowSchemas match the operator's identity — one for write
// verbs, one for read verbs — and the API server's
// apiserver_flowcontrol_dispatched_requests_total{flow_schema=...} counts what each dispatched.
// They point at the `exempt` priority level, so they change nothing about how requests are served.
import { Kube } from "./kube";

export const WRITE_SCHEMA = "aaa-registry-bench-operator-writes";
export const READ_SCHEMA = "aaa-registry-bench-operator-reads";
const WRITE_VERBS = ["create", "update", "patch", "delete", "deletecollection"];
const READ_VERBS = ["get", "list", "watch"];
const FS = "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas";

export interface Identity {
  username: string;
  groups: string[];
}

/** Who the API server thinks the holder of `kube` is. */
export async function whoAmI(kube: Kube): Promise<Identity> {
  const r = await kube.create("/apis/authentication.k8s.io/v1/selfsubjectreviews", {
    apiVersion: "authentication.k8s.io/v1",
    kind: "SelfSubjectReview",
  });
  return { username: r.status.userInfo.username, groups: r.status.userInfo.groups ?? [] };
}

function subject(id: Identity) {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(id.username);
  return sa
    ? { kind: "ServiceAccount", serviceAccount: { namespace: sa[1], name: sa[2] } }
    : { kind: "User", user: { name: id.username } };
}

const flowSchema = (name: string, id: Identity, verbs: string[], nonResource: boolean) => ({
  apiVersion: "flowcontrol.apiserver.k8s.io/v1",
  kind: "FlowSchema",
  metadata: { name, labels: { "app.kubernetes.io/part-of": "registry-bench" } },
  spec: {
    // Only the built-in `exempt` schema (system:masters) may have precedence 1; 2 comes next.
    matchingPrecedence: 2,
    priorityLevelConfiguration: { name: "exempt" },
    distinguisherMethod: { type: "ByUser" },
    rules: [
      {
        subjects: [subject(id)],
        resourceRules: [
          { verbs, apiGroups: ["*"], resources: ["*"], namespaces: ["*"], clusterScope: true },
        ],
        ...(nonResource ? { nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }] } : {}),
      },
    ],
  },
});

/** Creates (or replaces) the two FlowSchemas for the operator's identity. */
export async function installFlowSchemas(admin: Kube, operator: Identity): Promise<void> {
  await admin.apply(
    `${FS}/${WRITE_SCHEMA}`,
    flowSchema(WRITE_SCHEMA, operator, WRITE_VERBS, false),
  );
  await admin.apply(`${FS}/${READ_SCHEMA}`, flowSchema(READ_SCHEMA, operator, READ_VERBS, true));
}

export async function removeFlowSchemas(admin: Kube): Promise<void> {
  await admin.remove(`${FS}/${WRITE_SCHEMA}`);
  await admin.remove(`${FS}/${READ_SCHEMA}`);
}

type Labels = Record<string, string>;

/** Every sample of `metric` in Prometheus text, with its labels. */
export function samples(text: string, metric: string): { labels: Labels; value: number }[] {
  const out: { labels: Labels; value: number }[] = [];
  const prefix = `${metric}{`;
  for (const line of text.split("\n")) {
    if (!line.startsWith(prefix) && !line.startsWith(`${metric} `)) continue;
    const m = /^[^{ ]+(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...(m[1] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(x => [x[1], x[2]]),
    );
    out.push({ labels, value: Number(m[2]) });
  }
  return out;
}

export interface RequestCounts {
  writes: number;
  reads: number;
  /** apiserver_request_total by `verb resource[/subresource]`, every client (for a breakdown). */
  byVerbResource: Record<string, number>;
}

/**
 * A system:masters identity always matches the built-in `exempt` schema first (precedence 1 is
 * reserved for it): then all of `exempt` is counted, reads and writes together, as writes.
 */
export const countsExempt = (id: Identity): boolean => id.groups.includes("system:masters");

export async function requestCounts(admin: Kube, exempt = false): Promise<RequestCounts> {
  const text = await admin.metrics();
  const dispatched = samples(text, "apiserver_flowcontrol_dispatched_requests_total");
  const sum = (schema: string) =>
    dispatched.filter(s => s.labels.flow_schema === schema).reduce((a, s) => a + s.value, 0);
  if (exempt) return { writes: sum("exempt"), reads: 0, byVerbResource: byVerbResource(text) };
  return {
    writes: sum(WRITE_SCHEMA),
    reads: sum(READ_SCHEMA),
    byVerbResource: byVerbResource(text),
  };
}

function byVerbResource(text: string): Record<string, number> {
  const byVerbResource: Record<string, number> = {};
  for (const s of samples(text, "apiserver_request_total")) {
    const { verb, resource, subresource } = s.labels;
    if (!resource) continue;
    const key = `${verb} ${resource}${subresource ? `/${subresource}` : ""}`;
    byVerbResource[key] = (byVerbResource[key] ?? 0) + s.value;
  }
  return byVerbResource;
}

/** after − before, with the breakdown's top entries. */
export function delta(before: RequestCounts, after: RequestCounts, top = 15) {
  const breakdown = Object.entries(after.byVerbResource)
    .map(([k, v]) => [k, v - (before.byVerbResource[k] ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  return {
    writes: after.writes - before.writes,
    reads: after.reads - before.reads,
    allClientsByVerbResource: Object.fromEntries(breakdown),
  };
}
