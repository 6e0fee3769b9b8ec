// A Registry deleted while its first reconcile is under way leaves nothing behind but its data:
// whatever the operator applies after the deletion carries an owner reference to an object that is
// gone, so the garbage collector takes it; claims (deletionPolicy Retain) stay. The test shows that
// at least one deletion landed mid-pass: the Registry had children and no status yet.
import { Kube, loadKubeconfig, sleep } from "../../bench/operator/kube";
import { eventually, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";
import { OWNER_LABEL } from "../../lib/api/labels";
import { API_VERSION } from "../unit/fuzz/objects";

const SPEC = { storage: { filesystem: { size: "1Gi" } }, redis: { managed: {} }, replicas: 1 };
import { preboundVolume } from "../support/volumes";
import { OWNED_KINDS } from "../support/owned-kinds";

const CHILD_COLLECTIONS = [
  "api/v1/secrets",
  "api/v1/configmaps",
  "api/v1/services",
  "apis/apps/v1/deployments",
  "apis/apps/v1/statefulsets",
];

/**
 * Deletes each Registry the moment the watch sees its first child (its pass is writing), and
 * those never seen so once the rest are done. Returns the Registries deleted mid-pass — a child
 * written, and the Registry gone without ever having had a status (the pass never finished) — and
 * those with a child created after the Registry was gone (by etcd's revision, which resource
 * versions are on this cluster): what only the garbage collector can take away.
 */
async function deleteMidPass(
  namespace: string,
  names: string[],
): Promise<{ midPass: string[]; writtenAfter: string[] }> {
  const kube = new Kube(loadKubeconfig());
  const registries = `/apis/${API_VERSION}/namespaces/${namespace}/registries`;
  const pending = new Set(names);
  const deletedWithoutStatus = new Set<string>();
  const deletedAt = new Map<string, number>();
  const created: { owner: string; revision: number }[] = [];
  const deleted: string[] = [];
  const remove = (name: string) => {
    pending.delete(name);
    deleted.push(name);
    void kube.raw("DELETE", `${registries}/${name}`).catch(() => {});
  };
  const watches = [
    kube.watch(registries, (type, r) => {
      if (type !== "DELETED") return;
      deletedAt.set(r.metadata.name, Number(r.metadata.resourceVersion));
      if (!r.status?.observedGeneration) deletedWithoutStatus.add(r.metadata.name);
    }),
    ...CHILD_COLLECTIONS.map(c =>
      kube.watch(
        `/${c.replace(/^(api\/v1|apis\/apps\/v1)/, `$1/namespaces/${namespace}`)}?labelSelector=${encodeURIComponent(OWNER_LABEL)}`,
        (type, child) => {
          const owner = child.metadata?.labels?.[OWNER_LABEL];
          if (type !== "ADDED") return;
          created.push({ owner, revision: Number(child.metadata.resourceVersion) });
          if (pending.has(owner)) remove(owner);
        },
      ),
    ),
  ];
  try {
    await Promise.all(watches.map(w => w.synced));
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: names.map(n => registryManifest(n, SPEC)),
    };
    kubectlOk(["-n", namespace, "apply", "-f", "-"], JSON.stringify(list));
    const deadline = Date.now() + 30_000;
    while (pending.size && Date.now() < deadline) await sleep(100);
    for (const name of [...pending]) remove(name);
    await eventually(
      () =>
        names.every(n => !kubectl(["-n", namespace, "get", "registry", n]).stdout)
          ? true
          : undefined,
      60_000,
      "the Registries gone",
    );
    await sleep(1000); // the last DELETED events
    const after = created.filter(c => c.revision > (deletedAt.get(c.owner) ?? Infinity));
    return {
      midPass: deleted.filter(n => deletedWithoutStatus.has(n)),
      writtenAfter: [...new Set(after.map(c => c.owner))],
    };
  } finally {
    for (const w of watches) w.stop();
    kube.close();
  }
}

describe("a Registry deleted during its reconcile", () => {
  const ns = testNamespace("delete-early");
  const volumes: { remove: () => void }[] = [];
  afterAll(() => {
    for (const v of volumes) v.remove();
    ns.remove();
  });

  it("leaves only its claim", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `early-${i}`);
    for (const name of names) volumes.push(preboundVolume(ns.name, `${name}-data`));
    const { midPass, writtenAfter } = await deleteMidPass(ns.name, names);
    expect(midPass.length).toBeGreaterThan(0);
    // Children written after their Registry was gone are among those that must go.
    expect(writtenAfter.length).toBeGreaterThan(0);
    const left = () =>
      kubectl(["-n", ns.name, "get", OWNED_KINDS, "-l", OWNER_LABEL, "-o", "name"])
        .stdout.trim()
        .split("\n")
        .filter(Boolean)
        .sort();
    // A Registry deleted before its first pass never made a claim: only claims may remain.
    const notClaims = () => left().filter(o => !o.startsWith("persistentvolumeclaim/"));
    await eventually(
      () => (notClaims().length === 0 ? true : undefined),
      90_000,
      "only claims left",
    ).catch(err => {
      throw new Error(`${String(err)}; left: ${notClaims().join(", ")}`);
    });
    // And nothing comes back: no reconcile of a deleted Registry is still writing.
    await new Promise(r => setTimeout(r, 5000));
    expect(notClaims()).toEqual([]);
    const claims = left();
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims)
      expect(names.map(n => `persistentvolumeclaim/${n}-data`)).toContain(claim);
  }, 180_000);
});
