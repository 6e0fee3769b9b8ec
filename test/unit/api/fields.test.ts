import { DEFAULT_REDIS_IMAGE, DEFAULT_REGISTRY_IMAGE } from "../../../lib/api/defaults";
import { ImagePushSecretSchema } from "../../../lib/api/credentials";
import { Duration } from "../../../lib/api/fields/duration";
import { HttpUrl } from "../../../lib/api/fields/http-url";
import { parseImage } from "../../../lib/api/fields/image";
import { parseQuantity } from "../../../lib/kubernetes/quantity";
import { Service } from "../../../lib/api/registry-spec";

describe("parseQuantity", () => {
  it.each([
    ["500m", 0.5],
    ["2", 2],
    [3, 3],
    ["1Gi", 2 ** 30],
    ["1.5Gi", 1.5 * 2 ** 30],
    ["10G", 1e10],
    ["1e3", 1000],
    ["1E", 1e18],
    ["1E3", 1000],
    ["2e-3", 0.002],
    [".5", 0.5],
    ["1.", 1],
    ["+1Ki", 1024],
    ["1Ei", 2 ** 60],
  ] as const)("%s → %d", (input, expected) => expect(parseQuantity(input)).toBeCloseTo(expected));

  it.each(["", "abc", "1 Gi", "1GiB", "--1", "1..2", " 1Gi", "1Gi ", "1e", "1e1.5", ".", "1KI"])(
    "rejects %p",
    input => expect(parseQuantity(input)).toBeUndefined(),
  );
});

// Found by the admission fuzz (test/unit/fuzz): longer durations were accepted, and made no date
// (a credential's next rotation, a certificate's end) at reconcile.
describe("Duration", () => {
  it.each(["0", "24h", "1h30m", "2562047h"])("accepts %s", d =>
    expect(Duration.safeParse(d).success).toBe(true),
  );

  it.each(["2562048h", "99999999999h", "153722868m", "9223372037s"])("refuses %s", d =>
    expect(Duration.safeParse(d).success).toBe(false),
  );

  it("bounds every duration field, a credential's rotation interval too", () => {
    const push = (rotationInterval: string) =>
      ImagePushSecretSchema.safeParse({ spec: { registryRef: { name: "r" }, rotationInterval } });
    expect(push("2562047h").success).toBe(true);
    expect(push("99999999999h").error?.issues[0]).toMatchObject({
      path: ["spec", "rotationInterval"],
      message: "must be at most 2562047h (about 292 years), the longest duration Go can hold",
    });
  });
});

describe("HttpUrl", () => {
  it.each(["http://minio.minio.svc:9000", "https://auth.example.com/token", "https://[::1]:8443"])(
    "accepts %s",
    url => expect(HttpUrl.safeParse(url).success).toBe(true),
  );

  it.each([
    "javascript:alert(1)",
    "ftp://example.com",
    "mailto:a@example.com",
    "minio.minio.svc:9000",
    "http://",
    "https:// example.com",
  ])("refuses %s, showing the expected form", url => {
    const r = HttpUrl.safeParse(url);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain('such as "https://');
  });
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

describe("default images", () => {
  // CRI-O with short-name mode "enforcing" refuses a short name such as "registry:3.0.0".
  it.each([DEFAULT_REGISTRY_IMAGE, DEFAULT_REDIS_IMAGE])("%s is fully qualified", image => {
    expect(image.split("/")[0]).toMatch(/\./);
    expect(image.split("/")).toHaveLength(3);
    expect(parseImage(image)).toBeDefined();
  });
});

describe("service.clusterIP", () => {
  const clusterIP = Service.shape.clusterIP;
  it.each(["10.0.0.1", "fd00::10", "::1"])("accepts %s", ip =>
    expect(clusterIP.safeParse(ip).success).toBe(true),
  );
  // As the API server's isIP(): an IPv4 address inside IPv6, or a zone, is not a Service IP.
  it.each(["::ffff:10.0.0.1", "fe80::1%eth0", "10.0.0.300", ""])("refuses %p", ip =>
    expect(clusterIP.safeParse(ip).success).toBe(false),
  );
});
