// The module killed (SIGKILL) in the middle of converging 100 Registries, then started again:
// every Registry converges and has a status, each has the same set of children as every other
// (none missing, none extra), and no child is left whose Registry does not exist. The suite runs
// its own module (scripts/operator.sh, with the caller's MODULE_KUBECONFIG): scripts/test/all.sh
// stops the one the other suites use first.
import { OWNER_LABEL } from "../../lib/api/labels";
import { eventually, kubectlOk, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";
import { killModule, startModule, stopModule } from "../support/module-process";

const N = Number(process.env.FAULT_REGISTRIES ?? 100);
const CHILD_KINDS =
  "deployments,statefulsets,services,secrets,configmaps,poddisruptionbudgets,networkpolicies,persistentvolumeclaims";

type Registry = {
  metadata: { name: string };
  status?: { observedGeneration?: number; conditions?: { type: string; status: string }[] };
};
type Child = { kind: string; metadata: { name: string; labels: Record<string, string> } };

describe("the module killed mid-convergence", () => {
  const ns = testNamespace("faults");
  const registries = () =>
    (
      JSON.parse(kubectlOk(["-n", ns.name, "get", "registries", "-o", "json"])) as {
        items: Registry[];
      }
    ).items;
  const ready = () =>
    registries().filter(r =>
      r.status?.conditions?.some(c => c.type === "Ready" && c.status === "True"),
    ).length;
  afterAll(async () => {
    await stopModule();
    ns.remove();
  }, 120_000);

  it(`converges all ${N} Registries after a SIGKILL, each with its children once`, async () => {
    startModule();
    const names = Array.from({ length: N }, (_, i) => `r${String(i).padStart(3, "0")}`);
    const list = { apiVersion: "v1", kind: "List", items: names.map(n => registryManifest(n)) };
    kubectlOk(["-n", ns.name, "apply", "--server-side", "-f", "-"], JSON.stringify(list));
    const atKill = await eventually(
      () => {
        const n = ready();
        return n >= Math.max(1, N / 10) ? n : undefined;
      },
      120_000,
      "some Registries Ready",
    );
    killModule();
    await stopModule();
    console.log(`module killed with ${atKill} of ${N} Registries Ready`);
    expect(atKill).toBeLessThan(N);

    startModule();
    await eventually(() => (ready() === N ? true : undefined), 300_000, `all ${N} Ready`).catch(
      err => {
        throw new Error(`${String(err)} (${ready()} Ready)`);
      },
    );
    for (const r of registries())
      expect([r.metadata.name, r.status?.observedGeneration]).toEqual([r.metadata.name, 1]);

    const children = (
      JSON.parse(
        kubectlOk(["-n", ns.name, "get", CHILD_KINDS, "-l", OWNER_LABEL, "-o", "json"]),
      ) as {
        items: Child[];
      }
    ).items;
    const byOwner = new Map<string, string[]>();
    for (const c of children) {
      const owner = c.metadata.labels[OWNER_LABEL];
      const shape = `${c.kind}/${c.metadata.name.replace(owner, "NAME")}`;
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), shape].sort());
    }
    // No orphan: every child's Registry exists; no duplicate or missing: all alike.
    expect([...byOwner.keys()].sort()).toEqual(names);
    const reference = byOwner.get(names[0])!;
    expect(reference.length).toBeGreaterThan(4);
    for (const name of names) expect([name, byOwner.get(name)]).toEqual([name, reference]);
  }, 900_000);
});
