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
      if (!d) return undefined;
      const plan = planPod(d, clusterLookup(namespace));
      const probe = plan.readinessProbe;
      if (!(probe && "httpGet" in probe && probe.httpGet.scheme === "HTTPS")) return plan;
      // TLS: clients use the Service's name and trust the CA the operator publishes.
      const ca = clusterGet<{ data?: Record<string, string> }>(namespace, "ConfigMap", `${name}-ca`)
        ?.data?.["ca.crt"];
      const svc = clusterGet<{ spec: { ports: { port: number }[] } }>(namespace, "Service", name);
      if (!ca || !svc) return undefined;
      return {
        ...plan,
        serves: { host: `${name}.${namespace}.svc:${svc.spec.ports[0].port}`, ca },
      };
    },
    timeoutMs,
    `the Deployment ${name} and what it references`,
  );
}

export function objectsLookup(objects: Named[]): Lookup {
  return (kind, name) =>
    objects.find(o => o.kind === kind && o.metadata.name === name) as ReturnType<Lookup>;
}
