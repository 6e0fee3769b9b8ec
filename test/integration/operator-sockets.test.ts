import { alive, commandLine, moduleProcess, sampleProcess } from "../../bench/operator/process";
import { loadKubeconfig } from "../../bench/operator/kube";
import { apply, eventually, getJson, testNamespace } from "../support/kubectl";

// The module must not open a connection per request: after 50 Registries converge it holds about
// as many connections to the API server as with none (its long-lived watches), not one per
// request it made. kubernetes-fluent-client 3.11.x builds a new HTTP agent per request, which is
// the leak this test is here to keep out.
const COUNT = 50;
const SLACK = 10;

describe("module sockets", () => {
  const ns = testNamespace("sockets");
  afterAll(() => ns.remove());

  it(`holds at most ${SLACK} more API-server connections after ${COUNT} Registries converge`, async () => {
    const found = moduleProcess(Number(new URL(loadKubeconfig().server).port || 443));
    expect(found).toBeDefined();
    const { pid, apiPort } = found!;
    const before = sampleProcess(pid, apiPort);

    const items = Array.from({ length: COUNT }, (_, i) => ({
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "Registry",
      metadata: { name: `sock-${i}` },
      spec: { replicas: 1, storage: { emptyDir: {} } },
    }));
    expect(apply({ apiVersion: "v1", kind: "List", items }, ns.name).code).toBe(0);
    await eventually(
      () => {
        const list = getJson<{
          items: { status?: { conditions?: { type: string; status: string }[] } }[];
        }>(["-n", ns.name, "registries"]);
        const ready = list.items.filter(r =>
          (r.status?.conditions ?? []).some(c => c.type === "Ready" && c.status === "True"),
        ).length;
        return ready === COUNT ? ready : undefined;
      },
      240_000,
      `${COUNT} Registries Ready`,
    );
    await new Promise(r => setTimeout(r, 5_000));
    expect(alive(pid)).toBe(true);
    // The fewest of three samples: a watch Pepr is just reconnecting holds two connections for a
    // moment; a connection per request would linger in all three.
    const samples = [];
    for (let i = 0; i < 3; i++) {
      if (i) await new Promise(r => setTimeout(r, 2_000));
      samples.push(sampleProcess(pid, apiPort));
    }
    const after = samples.reduce((a, b) => (b.apiConnections < a.apiConnections ? b : a));
    const seen = {
      pid,
      command: commandLine(pid),
      before: {
        apiConnections: before.apiConnections,
        sockets: before.sockets,
        rssMiB: before.rssMiB,
      },
      after: { apiConnections: after.apiConnections, sockets: after.sockets, rssMiB: after.rssMiB },
    };
    console.log(`module sockets: ${JSON.stringify(seen)}`);
    // The message carries what was seen, so a failure says how far off it is.
    if (after.apiConnections > before.apiConnections + SLACK)
      throw new Error(
        `the module holds ${after.apiConnections} connections to the API server after ${COUNT} Registries (${before.apiConnections} before; at most ${before.apiConnections + SLACK} allowed); ${after.sockets} sockets in all (${before.sockets} before)`,
      );
  }, 300_000);
});
