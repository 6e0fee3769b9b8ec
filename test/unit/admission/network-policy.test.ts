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

  it.each([
    [
      { cidr: "10.0.0.0/24", except: ["192.168.0.0/16"] },
      "192.168.0.0/16 is not a range inside 10.0.0.0/24",
    ],
    [{ cidr: "10.0.0.0/8", except: ["fd00::/8"] }, "fd00::/8 is not a range inside 10.0.0.0/8"],
    [{ cidr: "10.0.0.0/8", except: ["10.0.0.0/8"] }, "10.0.0.0/8 is not a range inside 10.0.0.0/8"],
  ])("refuses an except outside its cidr: %j", (ipBlock, why) => {
    const v = validateRegistry(registry({ networkPolicy: { clients: [{ ipBlock }] } }));
    expect(v.problems).toEqual([`spec.networkPolicy.clients[0].ipBlock.except: ${why}`]);
  });

  it("accepts an except inside its cidr, IPv4 or IPv6, and checks selectors", () => {
    const ok = validateRegistry(
      registry({
        networkPolicy: {
          clients: [
            { ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } },
            { ipBlock: { cidr: "fd00::/8", except: ["fd00:1::/32"] } },
          ],
        },
      }),
    );
    expect(ok.problems).toEqual([]);
    const bad = validateRegistry(
      registry({
        networkPolicy: {
          scrapers: [{ podSelector: { matchExpressions: [{ key: "app", operator: "In" }] } }],
        },
      }),
    );
    expect(bad.problems).toEqual([
      "spec.networkPolicy.scrapers[0].podSelector.matchExpressions[0].values: required with operator In",
    ]);
  });
});
