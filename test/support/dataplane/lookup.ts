// Where a pod plan's referenced objects come from: the live cluster (what the operator applied),
// or a list of rendered objects (for the benchmark, which needs no cluster).
import { eventually, kubectl } from "../kubectl";
import { planPod, type DeploymentLike, type Lookup, type PodPlan } from "./pod-plan";

type Named = { kind: string; metadata: { name: string } };

/** One object from the cluster, or undefined when it does not exist. */
export function clusterGet<T>(namespace: string, kind: string, name: string): T | undefined {
  const r = kubectl(["-n", namespace, "get", kind, name, "--ignore-not-found", "-o", "json"]);
  if (r.code !== 0) throw new Error(`kubectl get ${kind} ${name}: ${r.stderr}`);
  return r.stdout.trim() ? (JSON.parse(r.stdout) as T) : undefined;
}

export const clusterLookup =
  (namespace: string): Lookup =>
  (kind, name) =>
    clusterGet(namespace, kind, name);

export const clusterDeployment = (namespace: string, name: string) =>
  clusterGet<DeploymentLike>(namespace, "Deployment", name);

/** The pod plan of a Deployment, once the operator has applied it and everything it references. */
export function planFromCluster(
  namespace: string,
  name: string,
  timeoutMs = 20_000,
): Promise<PodPlan> {
  return eventually(
    () => {
      const d = clusterDeployment(namespace, name);
      return d ? planPod(d, clusterLookup(namespace)) : undefined;
    },
    timeoutMs,
    `the Deployment ${name} and what it references`,
  );
}

export function objectsLookup(objects: Named[]): Lookup {
  return (kind, name) =>
    objects.find(o => o.kind === kind && o.metadata.name === name) as ReturnType<Lookup>;
}
