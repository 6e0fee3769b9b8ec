// The API floor: a plain client (one keep-alive agent, the same concurrency) server-side applying
// the very child objects the operator made for one converged Registry — read back from the
// cluster, so the floor follows whatever any version of the module creates — for N Registries in
// fresh namespaces. Convergence time / floor time says how close the operator gets to the API
// server's own speed.
import { Kube, pool } from "./kube";
import { round } from "./stats";
import type { Target } from "./workload";

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Every kind the operator may create for a Registry, with its collection path.
const CHILD_KINDS: [string, string][] = [
  ["v1", "secrets"],
  ["v1", "configmaps"],
  ["v1", "services"],
  ["v1", "persistentvolumeclaims"],
  ["apps/v1", "deployments"],
  ["apps/v1", "statefulsets"],
  ["policy/v1", "poddisruptionbudgets"],
];
const prefixOf = (apiVersion: string) => (apiVersion === "v1" ? "/api/v1" : `/apis/${apiVersion}`);

export interface ChildTemplate {
  apiVersion: string;
  plural: string;
  /** The object as JSON text with the source Registry's name and namespace as placeholders. */
  text: string;
}

/** What the operator applied for one Registry, stripped of what the server filled in. */
export async function childTemplates(kube: Kube, source: Target): Promise<ChildTemplate[]> {
  const owner = await kube.get(
    `/apis/registry-operator.dev/v1alpha1/namespaces/${source.namespace}/registries/${source.name}`,
  );
  const out: ChildTemplate[] = [];
  for (const [apiVersion, plural] of CHILD_KINDS) {
    const list = await kube.get(`${prefixOf(apiVersion)}/namespaces/${source.namespace}/${plural}`);
    for (const item of list.items as Loose[]) {
      const owned = (item.metadata.ownerReferences ?? []).some(
        (r: Loose) => r.uid === owner.metadata.uid,
      );
      if (!owned) continue;
      const { name, annotations } = item.metadata;
      // Without the operator's labels its informers ignore the copies: the floor is the API
      // server's work alone.
      const labels = Object.fromEntries(
        Object.entries(item.metadata.labels ?? {}).filter(
          ([k]) => k !== "app.kubernetes.io/managed-by" && !k.startsWith("registry-operator.dev/"),
        ),
      );
      const obj: Loose = {
        apiVersion,
        kind: item.kind ?? list.kind.replace(/List$/, ""),
        metadata: { name, namespace: source.namespace, labels, annotations },
      };
      for (const k of Object.keys(item))
        if (!["apiVersion", "kind", "metadata", "status"].includes(k)) obj[k] = item[k];
      if (plural === "services") {
        delete obj.spec.clusterIP;
        delete obj.spec.clusterIPs;
      }
      if (obj.metadata.annotations)
        delete obj.metadata.annotations["deployment.kubernetes.io/revision"];
      const text = JSON.stringify(obj)
        .replaceAll(`"${source.namespace}"`, '"@@NS@@"')
        .replaceAll(source.name, "@@NAME@@");
      out.push({ apiVersion, plural, text });
    }
  }
  return out;
}

export interface FloorResult {
  n: number;
  objectsPerRegistry: number;
  kinds: string[];
  requests: number;
  errors: number;
  seconds: number | null;
}

export async function apiFloor(
  kube: Kube,
  templates: ChildTemplate[],
  targets: Target[],
  concurrency: number,
): Promise<FloorResult> {
  let errors = 0;
  const start = Date.now();
  await pool(targets, concurrency, async t => {
    for (const tpl of templates) {
      const obj = JSON.parse(
        tpl.text.replaceAll("@@NS@@", t.namespace).replaceAll("@@NAME@@", t.name),
      );
      try {
        await kube.apply(
          `${prefixOf(tpl.apiVersion)}/namespaces/${t.namespace}/${tpl.plural}/${obj.metadata.name}`,
          obj,
        );
      } catch {
        errors++;
      }
    }
  });
  return {
    n: targets.length,
    objectsPerRegistry: templates.length,
    kinds: templates.map(t => `${t.plural}`),
    requests: targets.length * templates.length,
    errors,
    seconds: round((Date.now() - start) / 1000, 2),
  };
}
