import { containsDesired, driftPatch } from "../../../lib/engine/subset";

describe("containsDesired", () => {
  it("ignores what the server adds", () => {
    expect(
      containsDesired(
        { spec: { port: 5000 } },
        { spec: { port: 5000, protocol: "TCP" }, status: {} },
      ),
    ).toBe(true);
  });

  it("sees an edited field", () => {
    expect(
      containsDesired({ spec: { ports: [{ port: 5000 }] } }, { spec: { ports: [{ port: 5001 }] } }),
    ).toBe(false);
  });

  it("sees an owner reference an empty desired list removes, and holds an absent list", () => {
    const owner = { kind: "Registry", uid: "u" };
    expect(
      containsDesired(
        { metadata: { ownerReferences: [] } },
        { metadata: { ownerReferences: [owner] } },
      ),
    ).toBe(false);
    expect(
      driftPatch({ metadata: { ownerReferences: [] } }, { metadata: { ownerReferences: [owner] } }),
    ).toEqual([{ op: "replace", path: "/metadata/ownerReferences", value: [] }]);
    expect(containsDesired({ metadata: { ownerReferences: [] } }, { metadata: {} })).toBe(true);
  });

  it("sees a missing field and a list of another length", () => {
    expect(containsDesired({ a: { b: 1 } }, { a: {} })).toBe(false);
    expect(containsDesired({ l: [1, 2] }, { l: [1, 2, 3] })).toBe(false);
  });

  it("sees a data key the desired ConfigMap no longer has, but not extra metadata", () => {
    const live = {
      metadata: { name: "gate", labels: { a: "1" }, uid: "u" },
      data: { "redis-unavailable": "WRONGPASS" },
    };
    expect(containsDesired({ metadata: { name: "gate" }, data: {} }, live)).toBe(false);
    expect(
      containsDesired(
        { metadata: { name: "gate" }, data: { "redis-unavailable": "WRONGPASS" } },
        live,
      ),
    ).toBe(true);
  });

  it("accepts int-or-string values the server kept as strings", () => {
    expect(containsDesired({ maxUnavailable: 1 }, { maxUnavailable: "1" })).toBe(true);
  });
});

describe("driftPatch", () => {
  it("replaces an edited list whole and leaves other fields alone", () => {
    const desired = { spec: { ports: [{ name: "http", port: 5000 }], type: "ClusterIP" } };
    const live = {
      spec: { ports: [{ name: "http", port: 6000 }], type: "ClusterIP", clusterIP: "10.0.0.1" },
    };
    expect(driftPatch(desired, live)).toEqual([
      { op: "replace", path: "/spec/ports", value: [{ name: "http", port: 5000 }] },
    ]);
  });

  it("adds missing fields, escaping keys as JSON pointers", () => {
    expect(driftPatch({ metadata: { labels: { "a/b": "1" } } }, { metadata: {} })).toEqual([
      { op: "add", path: "/metadata/labels", value: { "a/b": "1" } },
    ]);
    expect(
      driftPatch({ metadata: { labels: { "a/b~": "1" } } }, { metadata: { labels: {} } }),
    ).toEqual([{ op: "add", path: "/metadata/labels/a~1b~0", value: "1" }]);
  });

  it("is empty when nothing drifted", () => {
    expect(driftPatch({ a: { b: [1] } }, { a: { b: [1], c: 2 } })).toEqual([]);
  });
});

describe("containsDesired with quantities", () => {
  it("matches a quantity the API server rewrote canonically", () => {
    const desired = { resources: { requests: { cpu: "1000m", memory: "1024Mi" } } };
    expect(containsDesired(desired, { resources: { requests: { cpu: "1", memory: "1Gi" } } })).toBe(
      true,
    );
    expect(
      containsDesired({ emptyDir: { sizeLimit: "0.5Gi" } }, { emptyDir: { sizeLimit: "512Mi" } }),
    ).toBe(true);
  });

  it("still sees a changed quantity, and compares other strings exactly", () => {
    expect(containsDesired({ requests: { cpu: "500m" } }, { requests: { cpu: "1" } })).toBe(false);
    expect(containsDesired({ labels: { version: "1.0" } }, { labels: { version: "1" } })).toBe(
      false,
    );
  });
});
