import { parseImage } from "../../../lib/api/fields/image";
import { parseQuantity } from "../../../lib/api/fields/quantity";

describe("parseQuantity", () => {
  it.each([
    ["500m", 0.5],
    ["2", 2],
    [3, 3],
    ["1Gi", 2 ** 30],
    ["1.5Gi", 1.5 * 2 ** 30],
    ["10G", 1e10],
    ["1e3", 1000],
  ] as const)("%s → %d", (input, expected) => expect(parseQuantity(input)).toBeCloseTo(expected));

  it.each(["", "abc", "1 Gi", "1GiB", "--1", "1..2"])("rejects %p", input =>
    expect(parseQuantity(input)).toBeUndefined(),
  );
});

describe("parseImage", () => {
  it.each([
    ["registry:2", { name: "registry", tag: "2" }],
    ["registry:3.0.0", { name: "registry", tag: "3.0.0" }],
    ["ghcr.io/org/registry", { name: "ghcr.io/org/registry" }],
    ["localhost:5000/registry:v3", { name: "localhost:5000/registry", tag: "v3" }],
    [`registry@sha256:${"a".repeat(64)}`, { name: "registry", digest: `sha256:${"a".repeat(64)}` }],
  ])("parses %s", (ref, expected) =>
    expect(parseImage(ref)).toEqual(expect.objectContaining(expected)),
  );

  it.each(["", "Registry:2", "registry:", "registry:2 ", "a b", "registry@sha256:short", ":tag"])(
    "rejects %p",
    ref => expect(parseImage(ref)).toBeUndefined(),
  );
});
