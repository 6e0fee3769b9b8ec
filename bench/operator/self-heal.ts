// Self-heal: delete the Deployment of a converged Registry and time until one exists again.
import { Kube, sleep } from "./kube";
import { summary } from "./stats";
import type { Target } from "./workload";

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The Deployment a Registry owns (found by owner reference, whatever it is named). */
async function ownedDeployment(kube: Kube, t: Target): Promise<string | undefined> {
  const owner = await kube.get(
    `/apis/registry-operator.dev/v1alpha1/namespaces/${t.namespace}/registries/${t.name}`,
  );
  const list = await kube.get(`/apis/apps/v1/namespaces/${t.namespace}/deployments`);
  return (list.items as Loose[]).find(d =>
    (d.metadata.ownerReferences ?? []).some((r: Loose) => r.uid === owner.metadata.uid),
  )?.metadata.name;
}

export interface SelfHealResult {
  samples: number;
  restored: number;
  timeoutMs: number;
  latencyMs: ReturnType<typeof summary>;
}

export async function selfHeal(
  kube: Kube,
  targets: Target[],
  count: number,
  timeoutMs = 30_000,
): Promise<SelfHealResult> {
  const latencies: number[] = [];
  const picked = targets.filter(
    (_, i) => i % Math.max(1, Math.floor(targets.length / count)) === 0,
  );
  let tried = 0;
  for (const t of picked.slice(0, count)) {
    const name = await ownedDeployment(kube, t);
    if (!name) continue;
    tried++;
    const path = `/apis/apps/v1/namespaces/${t.namespace}/deployments/${name}`;
    const before = (await kube.get(path)).metadata.uid;
    const t0 = performance.now();
    await kube.remove(path);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const now = await kube.find(path);
      if (now && now.metadata.uid !== before) {
        latencies.push(performance.now() - t0);
        break;
      }
      await sleep(25);
    }
  }
  return {
    samples: tried,
    restored: latencies.length,
    timeoutMs,
    latencyMs: summary(latencies),
  };
}
