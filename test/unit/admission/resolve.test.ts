import { ANNOTATIONS } from "../../../lib/api/annotations";
import { DEFAULT_REGISTRY_IMAGE } from "../../../lib/api/defaults";
import { applyResolution, resolveRegistry } from "../../../lib/admission/resolve";
import { ownSpec } from "../../../lib/api/own-spec";

const template = {
  name: "my-registry-template",
  resourceVersion: "42",
  spec: {
    replicas: 3,
    image: "registry:2",
    storage: { bucketClassName: "my-s3-class", bucketAccessClass: "my-s3-access-class" },
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    service: { type: "ClusterIP", port: 5000 },
  },
};

describe("resolveRegistry", () => {
  it("serves TLS on a new Registry, and keeps what the stored one has on an update", () => {
    const created = resolveRegistry({ incoming: { spec: {} } });
    expect(created.spec.tls).toMatchObject({ selfSigned: {} });
    // An object from before TLS by default keeps plain HTTP through an unrelated edit.
    const legacy = { spec: { replicas: 1 } };
    expect(
      resolveRegistry({ incoming: { spec: { replicas: 1 } }, old: legacy }).spec.tls,
    ).toBeUndefined();
    const served = { spec: { tls: { secretName: "mine" } } };
    expect(resolveRegistry({ incoming: { spec: {} }, old: served }).spec.tls).toEqual({
      secretName: "mine",
    });
    // Set on the update: what the user says wins.
    expect(
      resolveRegistry({ incoming: { spec: { tls: { selfSigned: {} } } }, old: legacy }).spec.tls,
    ).toMatchObject({ selfSigned: {} });
  });

  it("fills defaults for an empty Registry", () => {
    const r = resolveRegistry({ incoming: { spec: {} } });
    expect(r.spec).toEqual({
      replicas: 1,
      image: DEFAULT_REGISTRY_IMAGE,
      managementState: "Managed",
      service: { type: "ClusterIP", port: 5000 },
      storage: { deletionPolicy: "Retain", emptyDir: { sizeLimit: "10Gi" } },
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } },
      podSecurity: { uid: "Auto" },
      upgrade: { progressDeadlineSeconds: 600, autoRollback: true },
      tls: { selfSigned: { caDuration: "87600h", certDuration: "17520h" } },
    });
    expect(r.own).toEqual({});
  });

  it("applies the template under the Registry's own fields (the primary design's example)", () => {
    const r = resolveRegistry({
      incoming: { template: "my-registry-template", spec: { replicas: 5 } },
      template,
    });
    expect(r.spec).toMatchObject({ ...template.spec, replicas: 5 });
    expect(r.spec.storage).toEqual({ ...template.spec.storage, deletionPolicy: "Retain" });
    expect(r.annotations).toEqual({
      [ANNOTATIONS.userSpec]: JSON.stringify({ replicas: 5 }),
      [ANNOTATIONS.template]: "my-registry-template",
      [ANNOTATIONS.templateVersion]: "42",
    });
  });

  it("does not default parts of a resources block the user set", () => {
    const r = resolveRegistry({
      incoming: { spec: { resources: { requests: { memory: "4Gi" } } } },
    });
    expect(r.spec.resources).toEqual({ requests: { memory: "4Gi" } });
  });

  it("forces filesystem storage to one replica and remembers what was asked", () => {
    const r = resolveRegistry({
      incoming: { spec: { replicas: 3, storage: { filesystem: { size: "20Gi" } } } },
    });
    expect(r.spec.replicas).toBe(1);
    expect(r.spec.storage).toEqual({
      deletionPolicy: "Retain",
      filesystem: { size: "20Gi", accessModes: ["ReadWriteOnce"] },
    });
    expect(r.own.replicas).toBe(3);
  });

  it("leaves zero replicas alone with filesystem storage", () => {
    expect(
      resolveRegistry({ incoming: { spec: { replicas: 0, storage: { filesystem: {} } } } }).spec
        .replicas,
    ).toBe(0);
  });

  it("forces one replica again on every update", () => {
    const first = resolveRegistry({
      incoming: { spec: { replicas: 3, storage: { filesystem: {} } } },
    });
    const stored = {
      metadata: { annotations: first.annotations as Record<string, string> },
      spec: first.spec,
    };
    const next = resolveRegistry({
      incoming: { ...stored, spec: { ...first.spec, replicas: 5 } },
      old: stored,
    });
    expect(next.spec.replicas).toBe(1);
    expect(next.own.replicas).toBe(5);
  });

  it("lets a template edit through to fields the user never set", () => {
    const first = resolveRegistry({ incoming: { template: "t", spec: { replicas: 5 } }, template });
    const stored = {
      template: "t",
      metadata: { annotations: first.annotations as Record<string, string> },
      spec: first.spec,
    };
    const edited = {
      ...template,
      resourceVersion: "43",
      spec: { ...template.spec, replicas: 7, image: "registry:3.0.0" },
    };
    const next = resolveRegistry({ incoming: stored, old: stored, template: edited });
    expect(next.spec).toMatchObject({ replicas: 5, image: "registry:3.0.0" });
    expect(next.annotations[ANNOTATIONS.templateVersion]).toBe("43");
  });

  it("keeps template-given values when the template disappears", () => {
    const first = resolveRegistry({ incoming: { template: "t", spec: {} }, template });
    const stored = {
      template: "t",
      metadata: { annotations: first.annotations as Record<string, string> },
      spec: first.spec,
    };
    const next = resolveRegistry({ incoming: stored, old: stored });
    expect(next.spec.storage).toEqual(first.spec.storage);
    expect(next.spec.replicas).toBe(3);
  });

  it("gives a field back to the template when the user removes it", () => {
    const first = resolveRegistry({ incoming: { template: "t", spec: { replicas: 5 } }, template });
    const stored = {
      template: "t",
      metadata: { annotations: first.annotations as Record<string, string> },
      spec: first.spec,
    };
    const rest = { ...first.spec };
    delete rest.replicas;
    const next = resolveRegistry({ incoming: { ...stored, spec: rest }, old: stored, template });
    expect(next.spec.replicas).toBe(3);
  });
});

describe("ownSpec", () => {
  it("keeps what the user set even when it is invalid, so validation judges the user's fields", () => {
    const own = { service: { port: 70000 } };
    expect(
      ownSpec({
        metadata: { annotations: { [ANNOTATIONS.userSpec]: JSON.stringify(own) } },
        spec: { service: { port: 70000 }, upgrade: {} },
      }),
    ).toEqual(own);
  });

  it("falls back to the spec when the record is unreadable", () => {
    expect(
      ownSpec({
        metadata: { annotations: { [ANNOTATIONS.userSpec]: "{not json" } },
        spec: { replicas: 2 },
      }),
    ).toEqual({ replicas: 2 });
  });
});

describe("removing the template reference", () => {
  it("keeps the values the template gave (re-applying the plain sample after the template one)", () => {
    const first = resolveRegistry({ incoming: { template: "t", spec: { replicas: 5 } }, template });
    const stored = {
      template: "t",
      metadata: { annotations: first.annotations as Record<string, string> },
      spec: first.spec,
    };
    const next = resolveRegistry({
      incoming: { metadata: stored.metadata, spec: { ...first.spec, replicas: 3 } },
      old: stored,
    });
    expect(next.spec.storage).toEqual(first.spec.storage);
    expect(next.spec).toMatchObject({ replicas: 3, image: "registry:2" });
    expect(next.annotations[ANNOTATIONS.template]).toBeUndefined();
  });
});

describe("applyResolution", () => {
  it("sets the spec and annotations, clears the ones resolved to undefined, keeps the rest", () => {
    const obj = {
      metadata: { annotations: { keep: "1", [ANNOTATIONS.template]: "old" } },
      spec: {},
    };
    applyResolution(obj, {
      spec: { replicas: 2 },
      own: {},
      annotations: { [ANNOTATIONS.template]: undefined, [ANNOTATIONS.userSpec]: "{}" },
    });
    expect(obj).toEqual({
      metadata: { annotations: { keep: "1", [ANNOTATIONS.userSpec]: "{}" } },
      spec: { replicas: 2 },
    });
  });
});
