// The Registries the benchmark creates: emptyDir storage, one replica, spread over namespaces,
// and the namespaces themselves (fresh ones per phase; deleting a namespace is the quick way to
// delete a thousand Registries).
import { Kube, pool, sleep } from "./kube";

export const GROUP_PATH = "/apis/registry-operator.dev/v1alpha1";
export const PHASE_LABEL = "bench.registry-operator.dev/phase";

export interface Target {
  namespace: string;
  name: string;
}

/** `count` Registry names spread round-robin over `namespaces` namespaces named `prefix-i`. */
export function plan(prefix: string, count: number, namespaces = 10): Target[] {
  return Array.from({ length: count }, (_, i) => ({
    namespace: `${prefix}-${i % namespaces}`,
    name: `reg-${String(i).padStart(5, "0")}`,
  }));
}

export const namespacesOf = (targets: Target[]): string[] => [
  ...new Set(targets.map(t => t.namespace)),
];

export function registry(t: Target, phase: string) {
  return {
    apiVersion: "registry-operator.dev/v1alpha1",
    kind: "Registry",
    metadata: { name: t.name, namespace: t.namespace, labels: { [PHASE_LABEL]: phase } },
    spec: { replicas: 1, storage: { emptyDir: {} } },
  };
}

export const registriesPath = (namespace: string) =>
  `${GROUP_PATH}/namespaces/${namespace}/registries`;

export async function createNamespaces(kube: Kube, names: string[], phase: string): Promise<void> {
  await pool(names, 10, name =>
    kube.apply(`/api/v1/namespaces/${name}`, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name,
        labels: {
          [PHASE_LABEL]: phase,
          "pod-security.kubernetes.io/enforce": "restricted",
        },
      },
    }),
  );
}

/** Deletes the namespaces and waits (up to `timeoutMs`) until they are gone. */
export async function deleteNamespaces(
  kube: Kube,
  names: string[],
  timeoutMs = 300_000,
): Promise<boolean> {
  await pool(names, 10, name => kube.remove(`/api/v1/namespaces/${name}`));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const left = (await pool(names, 10, n => kube.find(`/api/v1/namespaces/${n}`))).filter(Boolean);
    if (!left.length) return true;
    await sleep(2_000);
  }
  return false;
}

/** Namespaces left by an earlier, interrupted run. */
export async function leftoverNamespaces(kube: Kube): Promise<string[]> {
  const list = await kube.get(`/api/v1/namespaces?labelSelector=${PHASE_LABEL}`);
  return (list.items ?? []).map((n: { metadata: { name: string } }) => n.metadata.name);
}
