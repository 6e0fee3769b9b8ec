// A Registry deleted while its first reconcile is under way leaves nothing behind but its data:
// whatever the operator applies after the deletion carries an owner reference to an object that is
// gone, so the garbage collector takes it; claims (deletionPolicy Retain) stay.
import { eventually, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";
import { OWNER_LABEL } from "../../lib/api/labels";
import { preboundVolume } from "../support/volumes";
import { OWNED_KINDS } from "../support/owned-kinds";

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
    const spec = { storage: { filesystem: { size: "1Gi" } }, redis: { managed: {} }, replicas: 1 };
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: names.map(n => registryManifest(n, spec)),
    };
    kubectlOk(["-n", ns.name, "apply", "-f", "-"], JSON.stringify(list));
    // Deleted at staggered moments of their first pass: from at once to well into it.
    for (const [i, name] of names.entries()) {
      await new Promise(r => setTimeout(r, i * 60));
      kubectlOk(["-n", ns.name, "delete", "registry", name, "--wait=false"]);
    }
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
