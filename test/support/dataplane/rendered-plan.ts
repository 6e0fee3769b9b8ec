// A pod plan straight from rendered objects, with no cluster: the benchmarks' way in. The
// http.secret the operator would generate is supplied here.
import type { KubeObject } from "../../../lib/kubernetes/objects";
import { objectsLookup } from "./lookup";
import { planPod, type DeploymentLike, type PodPlan } from "./pod-plan";

/** `spec.tls` for a server run without TLS (benchmarks against the stock config). */
export const PLAIN_HTTP = { disabled: true, acknowledgeInsecure: true } as const;

export function planFromRendered(
  name: string,
  objects: KubeObject[],
  /** Objects the user would have created (a Redis password Secret). */
  extra: { kind: string; metadata: { name: string } }[] = [],
  /** The value of the generated http.secret the pod reads. */
  secret = `benchmark-http-secret-${name}`,
): PodPlan {
  const httpSecret = {
    kind: "Secret",
    metadata: { name: `${name}-http-secret` },
    data: { secret: Buffer.from(secret).toString("base64") },
  };
  const deployment = objects.find(o => o.kind === "Deployment") as unknown as DeploymentLike;
  return planPod(deployment, objectsLookup([...objects, httpSecret, ...extra]));
}
