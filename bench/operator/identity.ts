// Identities: the benchmark's own client runs as a dedicated ServiceAccount (so none of its
// requests is mistaken for the operator's), with a short-lived token from the TokenRequest API.
import { Kube } from "./kube";

export const BENCH_NAMESPACE = "registry-bench";
const SA = "bench-client";

/** A client authenticated as the ServiceAccount registry-bench/bench-client (cluster-admin). */
export async function benchClient(admin: Kube, maxSockets: number): Promise<Kube> {
  await admin.apply(`/api/v1/namespaces/${BENCH_NAMESPACE}`, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: BENCH_NAMESPACE },
  });
  await admin.apply(`/api/v1/namespaces/${BENCH_NAMESPACE}/serviceaccounts/${SA}`, {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: SA, namespace: BENCH_NAMESPACE },
  });
  await admin.apply(
    `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/registry-bench-client`,
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "registry-bench-client" },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "cluster-admin",
      },
      subjects: [{ kind: "ServiceAccount", name: SA, namespace: BENCH_NAMESPACE }],
    },
  );
  const r = await admin.create(
    `/api/v1/namespaces/${BENCH_NAMESPACE}/serviceaccounts/${SA}/token`,
    {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: 6 * 3600 },
    },
  );
  return admin.withToken(r.status.token, maxSockets);
}
