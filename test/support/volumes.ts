import { kubectl, kubectlOk } from "./kubectl";

/**
 * A PersistentVolume bound in advance to the claim `namespace/claim`: the local cluster has no
 * provisioner, so a claim binds only to a volume made for it. Nothing is mounted (the pods are
 * simulated); the data-plane harness backs the claim with a host directory of its own.
 */
export function preboundVolume(namespace: string, claim: string): { remove: () => void } {
  const name = `${namespace}-${claim}`;
  kubectlOk(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name },
      spec: {
        capacity: { storage: "100Gi" },
        accessModes: ["ReadWriteOnce"],
        persistentVolumeReclaimPolicy: "Delete",
        storageClassName: "",
        hostPath: { path: `/var/tmp/${name}` },
        claimRef: { namespace, name: claim },
      },
    }),
  );
  return { remove: () => void kubectl(["delete", "pv", name, "--wait=false"]) };
}
