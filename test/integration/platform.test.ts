import { eventually, getJson, kubectl, kubectlOk, testNamespace } from "../support/kubectl";

// The local cluster is a real control plane: what later suites rely on must really happen here.
describe("local cluster", () => {
  const ns = testNamespace("platform");
  afterAll(() => ns.remove());

  it("has Ready kwok nodes", () => {
    const nodes = getJson<{
      items: {
        metadata: { labels: Record<string, string> };
        status: { conditions: { type: string; status: string }[] };
      }[];
    }>(["nodes", "-l", "type=kwok"]);
    expect(nodes.items.length).toBeGreaterThanOrEqual(1);
    for (const n of nodes.items) {
      expect(n.status.conditions.find(c => c.type === "Ready")?.status).toBe("True");
    }
  });

  it("runs a Deployment until it is Available", async () => {
    kubectlOk([
      "-n",
      ns.name,
      "create",
      "deployment",
      "web",
      "--image=registry:3.0.0",
      "--replicas=2",
    ]);
    // The restricted namespace would reject this pod spec; prove the policy is enforced, then comply.
    const events = await eventually(
      () => {
        const r = kubectlOk([
          "-n",
          ns.name,
          "get",
          "replicaset",
          "-o",
          "jsonpath={.items[*].status.conditions[*].message}",
        ]);
        return r.includes("violates PodSecurity") ? r : undefined;
      },
      30_000,
      "PodSecurity to refuse a non-restricted pod",
    );
    expect(events).toContain("restricted");
    kubectlOk([
      "-n",
      ns.name,
      "patch",
      "deployment",
      "web",
      "--type=json",
      "-p",
      JSON.stringify([
        {
          op: "add",
          path: "/spec/template/spec/securityContext",
          value: {
            runAsNonRoot: true,
            runAsUser: 1000,
            seccompProfile: { type: "RuntimeDefault" },
          },
        },
        {
          op: "add",
          path: "/spec/template/spec/containers/0/securityContext",
          value: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
        },
      ]),
    ]);
    const r = kubectl([
      "-n",
      ns.name,
      "wait",
      "--for=condition=Available",
      "deployment/web",
      "--timeout=60s",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("completes namespace deletion", () => {
    const other = testNamespace("platform-del");
    kubectlOk(["-n", other.name, "create", "configmap", "x", "--from-literal=a=b"]);
    const r = kubectl(["delete", "namespace", other.name, "--timeout=60s"]);
    expect(r.code).toBe(0);
    expect(kubectl(["get", "namespace", other.name]).code).not.toBe(0);
  });
});
