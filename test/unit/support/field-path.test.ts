import { startsWithPathIn } from "../../support/field-path";
import { namesFieldOf } from "../fuzz/property";

const registry = {
  metadata: { name: "r", labels: { "a.b/c: d": "x" } },
  spec: {
    storage: { filesystem: { size: "1Gi" } },
    redis: { external: { addrs: ["a:1", "b:2"] } },
  },
};

describe("namesFieldOf: a refusal names a field of the object refused", () => {
  it.each([
    "spec.storage.filesystem.size: cannot shrink",
    "spec.redis.external.addrs[1]: must be host:port",
    "metadata.labels.a.b/c: d: must be a label value",
    "spec.storage: cannot change",
    "spec.replicas: is required",
    "spec.tls.issuerRef.name: is required",
    'template: RegistryTemplate "t" not found',
  ])("%s", text => expect(namesFieldOf("Registry", registry, text)).toBe(true));

  it.each([
    ["no path", "object: bad"],
    ["a bare word", "Invalid"],
    ["a bare sentence", "failed: boom"],
    ["a misspelt field", "spec.storag.x: must be object"],
    ["an unknown field under one that exists", "spec.storage.foo: must be object"],
    ["an index beyond the list", "spec.redis.external.addrs[2]: must be host:port"],
    ["an index into an object", "spec.storage[0]: must be object"],
    ["a path without a reason", "spec.storage.filesystem.size: "],
    ["a root of another kind", "upstreamRegistryURL: is required"],
  ])("not %s (%s)", (_, text) => expect(namesFieldOf("Registry", registry, text)).toBe(false));

  it("reads keys as written, dots, blanks and colons included", () => {
    const cache = { spec: { nodeSelector: { "a: b.c": "" } } };
    expect(namesFieldOf("Cache", cache, "spec.nodeSelector.a: b.c: must be a label value")).toBe(
      true,
    );
    expect(namesFieldOf("Cache", cache, "spec.nodeSelector.a: must be a label value")).toBe(false);
  });

  it("names fields inside one that is null or missing, if the schema knows them", () => {
    expect(namesFieldOf("Cache", { spec: null }, "spec.upstreamRegistryURL: is required")).toBe(
      true,
    );
    expect(namesFieldOf("Cache", {}, "spec.upstreamRegistryURL: is required")).toBe(true);
    expect(namesFieldOf("Cache", {}, "spec.upstreamRegistryUrl: is required")).toBe(false);
  });
});

describe("startsWithPathIn", () => {
  it("takes a key that looks like an index, and the end given", () => {
    expect(startsWithPathIn({ "[0]": 1 }, '[0]"', /^"/, () => false)).toBe(true);
    expect(startsWithPathIn({ a: 1 }, '[0]"', /^"/, () => false)).toBe(false);
    expect(startsWithPathIn({ a: { b: 1 } }, "a.b, c", /^, /, () => false)).toBe(true);
  });
});
