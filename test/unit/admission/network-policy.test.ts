import { networkPolicyWarnings } from "../../../lib/admission/rules/network-policy";
import { validateRegistry } from "../../../lib/admission/validate-registry";

const registry = (spec: object) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "Registry",
  metadata: { name: "reg", namespace: "ns" },
  spec,
});

describe("networkPolicy admission", () => {
  it("warns when a client list would shut out the registry's own node pulls, Ingress or load balancer", () => {
    const clients = [{ namespaceSelector: {} }];
    expect(
      networkPolicyWarnings({
        networkPolicy: { clients },
        nodeTrust: { enabled: true },
        service: { type: "LoadBalancer" },
        ingress: { host: "registry.example.com" },
      }),
    ).toEqual([
      expect.stringMatching(/^spec\.networkPolicy\.clients: nodes pull images from their own/),
      expect.stringMatching(/^spec\.networkPolicy\.clients: a LoadBalancer Service/),
      expect.stringMatching(/^spec\.networkPolicy\.clients: requests through the Ingress/),
    ]);
    expect(
      networkPolicyWarnings({
        networkPolicy: { clients: [...clients, { ipBlock: { cidr: "10.0.0.0/16" } }] },
        nodeTrust: { enabled: true },
      }),
    ).toEqual([]);
    expect(networkPolicyWarnings({ nodeTrust: { enabled: true } })).toEqual([]);
  });

  it("refuses a peer mixing an ipBlock with selectors, naming the field", () => {
    const v = validateRegistry(
      registry({
        networkPolicy: { clients: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }] },
      }),
    );
    expect(v.allowed).toBe(false);
    expect(v.problems.join("\n")).toContain("spec.networkPolicy.clients[0]: set ipBlock, or");
  });
});
