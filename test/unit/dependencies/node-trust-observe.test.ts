import type { LiveObject } from "../../../lib/kubernetes/objects";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import type { Reader } from "../../../lib/dependencies/dependency";
import { observeNodeTrust } from "../../../lib/dependencies/node-trust/observe";
import { childNames } from "../../../lib/render/names";

// NodeTrustReady from what a fake reader holds: the namespace's labels, the agent DaemonSet, the
// Service and the certificate's Secret.
const reader = (
  objects: Record<string, object> = {},
  labels: Record<string, string> = {},
  data: Record<string, Record<string, string>> = {},
): Reader => ({
  object: async (_v, kind, ns, name) => objects[`${kind}/${ns}/${name}`] as LiveObject | undefined,
  data: async (kind, ns, name) => data[`${kind}/${ns}/${name}`],
  childData: async () => undefined,
  childrenData: async () => [],
  namespaceLabels: async () => labels,
  servedKinds: async () => new Set<string>(),
  pingRedis: async () => ({ ok: true }),
});
const observe = (spec: RegistrySpec, read: Reader) =>
  observeNodeTrust({ spec, names: childNames("reg"), namespace: "ns" }, read);
const daemonSet = (status: object, generation = 1) => ({
  "DaemonSet/ns/reg-node-trust": {
    metadata: { name: "reg-node-trust", generation },
    status: { observedGeneration: 1, ...status },
  },
});
const ON: RegistrySpec = {
  service: { clusterIP: "10.96.0.50", port: 5000 },
  tls: { selfSigned: {} },
  nodeTrust: { enabled: true },
};

describe("NodeTrustReady", () => {
  it("is not reported while nodeTrust is off", async () => {
    expect(await observe({}, reader())).toBeUndefined();
  });

  it("names the label to set when the namespace's Pod Security level refuses the agent", async () => {
    const d = await observe(ON, reader({}, { "pod-security.kubernetes.io/enforce": "baseline" }));
    expect(d).toMatchObject({ ready: false, reason: "PodSecurityForbids", blocking: false });
    expect(d!.message).toMatch(
      /^Namespace ns enforces Pod Security "baseline".*enforce=privileged/,
    );
  });

  it("follows the DaemonSet: starting, no node, some nodes, every node", async () => {
    expect(await observe(ON, reader())).toMatchObject({ reason: "Deploying" });
    expect(await observe(ON, reader(daemonSet({}, 2)))).toMatchObject({ reason: "Deploying" });
    expect(await observe(ON, reader(daemonSet({ desiredNumberScheduled: 0 })))).toMatchObject({
      ready: false,
      reason: "NoNodes",
    });
    const some = await observe(
      ON,
      reader(daemonSet({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 2 })),
    );
    expect(some).toMatchObject({ ready: false, reason: "Syncing" });
    expect(some!.message).toMatch(/^2 of 3 nodes have the current files for reg\.ns\.svc:5000/);
    const all = await observe(
      ON,
      reader(daemonSet({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 3 })),
    );
    expect(all).toEqual(
      expect.objectContaining({
        ready: true,
        reason: "NodesConfigured",
        message: "The agent on 3 nodes has written the current files for reg.ns.svc:5000.",
      }),
    );
  });

  it("says when no CA is written because the user's certificate Secret has none", async () => {
    const spec = { ...ON, tls: { secretName: "mine" } };
    const done = daemonSet({
      desiredNumberScheduled: 1,
      updatedNumberScheduled: 1,
      numberReady: 1,
    });
    expect((await observe(spec, reader(done)))!.message).toContain(
      "no CA is written: Secret mine has no ca.crt, so nodes verify the certificate with their system roots",
    );
    const withCa = reader(done, {}, { "Secret/ns/mine": { "ca.crt": "CA" } });
    expect((await observe(spec, withCa))!.message).toBe(
      "The agent on 1 node has written the current files for reg.ns.svc:5000.",
    );
  });

  it("hands the render half the Service's allocated cluster IP for hostsFile", async () => {
    const spec = { tls: { selfSigned: {} }, nodeTrust: { enabled: true, hostsFile: true } };
    const d = await observe(
      spec,
      reader({ "Service/ns/reg": { metadata: { name: "reg" }, spec: { clusterIP: "10.0.3.4" } } }),
    );
    expect(d!.found).toEqual({ clusterIP: "10.0.3.4" });
  });
});
