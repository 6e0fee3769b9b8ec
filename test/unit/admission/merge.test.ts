import { applyUpdate, deepMerge } from "../../../lib/admission/merge";

describe("deepMerge", () => {
  it("merges objects deeply and lets the override win", () => {
    expect(deepMerge({ a: 1, o: { x: 1, y: 2 } }, { o: { y: 3 }, b: 2 })).toEqual({
      a: 1,
      b: 2,
      o: { x: 1, y: 3 },
    });
  });

  it("replaces lists instead of concatenating them", () => {
    expect(
      deepMerge({ tolerations: [{ key: "a" }, { key: "b" }] }, { tolerations: [{ key: "c" }] }),
    ).toEqual({
      tolerations: [{ key: "c" }],
    });
  });

  it("ignores undefined in the override and leaves inputs untouched", () => {
    const base = { a: { b: 1 } };
    expect(deepMerge(base, { a: undefined })).toEqual({ a: { b: 1 } });
    deepMerge(base, { a: { b: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });

  it("replaces a storage kind instead of adding a second one", () => {
    const template = {
      storage: { bucketClassName: "c", bucketAccessClass: "a", deletionPolicy: "Delete" },
    };
    expect(deepMerge(template, { storage: { s3: { bucket: "b" } } })).toEqual({
      storage: { s3: { bucket: "b" }, deletionPolicy: "Delete" },
    });
  });

  it("keeps the base's fields of the same storage kind", () => {
    const defaults = { storage: { filesystem: { size: "10Gi", accessModes: ["ReadWriteOnce"] } } };
    expect(deepMerge(defaults, { storage: { filesystem: { size: "50Gi" } } })).toEqual({
      storage: { filesystem: { size: "50Gi", accessModes: ["ReadWriteOnce"] } },
    });
  });

  it("treats the two COSI classes as one unit", () => {
    const base = { storage: { bucketClassName: "old", bucketAccessClass: "old-access" } };
    expect(deepMerge(base, { storage: { bucketClassName: "new" } })).toEqual({
      storage: { bucketClassName: "new", bucketAccessClass: "old-access" },
    });
  });
});

describe("applyUpdate", () => {
  it("makes changed and added leaves the user's", () => {
    const own = { replicas: 5 };
    expect(
      applyUpdate(
        own,
        { replicas: 5, image: "registry:2" },
        { replicas: 5, image: "registry:3.0.0", ui: { enabled: true } },
      ),
    ).toEqual({
      replicas: 5,
      image: "registry:3.0.0",
      ui: { enabled: true },
    });
  });

  it("keeps untouched leaves with their owner (template values stay template values)", () => {
    expect(applyUpdate({}, { replicas: 3 }, { replicas: 3 })).toEqual({});
  });

  it("gives removed leaves back to the template, dropping emptied objects", () => {
    const own = { replicas: 5, service: { port: 6000 } };
    expect(
      applyUpdate(
        own,
        { replicas: 5, service: { type: "ClusterIP", port: 6000 } },
        { service: { type: "ClusterIP" } },
      ),
    ).toEqual({});
  });

  it("treats a list as one leaf", () => {
    expect(
      applyUpdate(
        {},
        { tolerations: [{ key: "a" }] },
        { tolerations: [{ key: "a" }, { key: "b" }] },
      ),
    ).toEqual({
      tolerations: [{ key: "a" }, { key: "b" }],
    });
  });

  // Found by the admission fuzz (test/unit/fuzz): a free-form field (affinity) may hold a key
  // named like an inherited property; the other side's inherited function was then cloned, which
  // threw, and the webhook stored the object unresolved.
  it.each(["constructor", "toString", "hasOwnProperty"])(
    "compares a field named %s with the other side's own field only",
    key => {
      const before = { affinity: { [key]: "x" } };
      expect(applyUpdate(before, before, { affinity: {} })).toEqual({});
      expect(applyUpdate({}, { affinity: {} }, before)).toEqual(before);
    },
  );
});
