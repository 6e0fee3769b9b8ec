// The module killed (SIGKILL) in the middle of converging 100 Registries, then started again:
// every Registry converges and has a status, each has the same set of children as every other
// (none missing, none extra), and no child is left whose Registry does not exist — a tenth of them
// are deleted just before the kill. Then all their
// Deployments are deleted and all their Services edited, in bulk: all are restored. The suite runs
// its own module (scripts/operator.sh, with the caller's MODULE_KUBECONFIG): scripts/test/all.sh
// stops the one the other suites use first.
import { OWNER_LABEL } from "../../lib/api/labels";
import { spawn } from "node:child_process";
import { eventually, kubectlOk, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";
import { killModule, startModule, stopModule } from "../support/module-process";
import { OWNED_KINDS } from "../support/owned-kinds";

const N = Number(process.env.FAULT_REGISTRIES ?? 100);
/** Deleted just before the kill: none of their children may be left, nor come back. */
const GONE = Math.floor(N / 10);
const LEFT = N - GONE;

type Registry = {
  metadata: { name: string; generation: number };
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
    // Ten clients create them at once, faster than the module converges them; the module is
    // killed as soon as all exist, with most still converging.
    const apply = (items: object[]) =>
      new Promise<number | null>(resolve => {
        const kubectl = spawn("kubectl", ["-n", ns.name, "apply", "--server-side", "-f", "-"], {
          stdio: ["pipe", "ignore", "ignore"],
        });
        kubectl.on("exit", resolve);
        kubectl.stdin.end(JSON.stringify({ ...list, items }));
      });
    const slices = Array.from({ length: 10 }, (_, i) => list.items.filter((_, j) => j % 10 === i));
    expect(await Promise.all(slices.map(apply))).toEqual(slices.map(() => 0));
    const created = registries().length;
    const gone = names.slice(LEFT);
    kubectlOk(["-n", ns.name, "delete", "registries", ...gone, "--wait=false"]);
    const atKill = ready();
    killModule();
    await stopModule();
    console.log(
      `module killed with ${atKill} of ${created} Registries Ready, ${GONE} being deleted`,
    );
    expect(created).toBe(N);
    expect(atKill).toBeLessThan(N);
    const left = names.slice(0, LEFT);

    startModule();
    await eventually(
      () => (ready() === LEFT ? true : undefined),
      300_000,
      `all ${LEFT} Ready`,
    ).catch(err => {
      throw new Error(`${String(err)} (${ready()} Ready)`);
    });
    // Each with a status for its current spec (one created while no webhook was registered got
    // its defaults, and a new generation, when it was applied again).
    for (const r of registries())
      expect([r.metadata.name, r.status?.observedGeneration]).toEqual([
        r.metadata.name,
        r.metadata.generation,
      ]);

    const owners = () => {
      const children = (
        JSON.parse(
          kubectlOk(["-n", ns.name, "get", OWNED_KINDS, "-l", OWNER_LABEL, "-o", "json"]),
        ) as { items: Child[] }
      ).items;
      const byOwner = new Map<string, string[]>();
      for (const c of children) {
        const owner = c.metadata.labels[OWNER_LABEL];
        const shape = `${c.kind}/${c.metadata.name.replace(owner, "NAME")}`;
        byOwner.set(owner, [...(byOwner.get(owner) ?? []), shape].sort());
      }
      return byOwner;
    };
    // No orphan: every child's Registry exists (the deleted ones' children are collected, and the
    // restarted module makes none again); no duplicate or missing: all alike.
    const byOwner = await eventually(
      () => {
        const o = owners();
        return [...o.keys()].sort().join() === left.join() ? o : undefined;
      },
      120_000,
      "children of the remaining Registries only",
    ).catch(err => {
      throw new Error(
        `${String(err)}: owners ${[...owners().keys()].filter(k => !left.includes(k))}`,
      );
    });
    const reference = byOwner.get(left[0])!;
    expect(reference.length).toBeGreaterThan(4);
    for (const name of left) expect([name, byOwner.get(name)]).toEqual([name, reference]);
    expect(
      registries()
        .map(r => r.metadata.name)
        .sort(),
    ).toEqual(left);
  }, 900_000);

  it(`restores the children of all ${LEFT} deleted and edited by hand, in bulk`, async () => {
    type Service = { metadata: { name: string }; spec: { ports: { port: number }[] } };
    const services = () =>
      (
        JSON.parse(
          kubectlOk(["-n", ns.name, "get", "services", "-l", OWNER_LABEL, "-o", "json"]),
        ) as { kind: string; items: Service[] }
      ).items;
    const ports = () => services().map(s => `${s.metadata.name}:${s.spec.ports[0]?.port}`);
    const before = ports().sort();
    expect(before).toHaveLength(LEFT);
    // One command each, as a hurried admin: every Deployment deleted, every Service's port edited.
    kubectlOk(["-n", ns.name, "delete", "deployments", "-l", OWNER_LABEL, "--wait=false"]);
    const edited = services().map(s => ({
      ...s,
      apiVersion: "v1",
      kind: "Service",
      // Unconditional: whatever changed since the read is overwritten too.
      metadata: { ...s.metadata, resourceVersion: undefined },
      spec: { ...s.spec, ports: s.spec.ports.map(p => ({ ...p, port: 5999 })) },
    }));
    kubectlOk(
      ["-n", ns.name, "replace", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "List", items: edited }),
    );
    const deployments = () =>
      kubectlOk(["-n", ns.name, "get", "deployments", "-l", OWNER_LABEL, "-o", "name"])
        .trim()
        .split("\n")
        .filter(Boolean).length;
    await eventually(
      () => (deployments() === LEFT && ports().sort().join() === before.join() ? true : undefined),
      300_000,
      `all ${LEFT} Deployments back and every Service's port restored`,
    ).catch(err => {
      throw new Error(
        `${String(err)} (${deployments()} Deployments; ${ports().filter(p => p.endsWith(":5999")).length} Services still edited)`,
      );
    });
  }, 420_000);
});
