import { imageHost, podImages } from "../../../lib/extend/images";
import { hostsOf } from "../../../lib/extend/hosts";
import type { Registry } from "../../../lib/api/kinds";

describe("imageHost", () => {
  it.each([
    ["nginx", "docker.io"],
    ["library/nginx:1.27", "docker.io"],
    ["team/app@sha256:" + "a".repeat(64), "docker.io"],
    ["ghcr.io/org/app:1", "ghcr.io"],
    ["Reg.NS.svc:5000/team/app:1", "reg.ns.svc:5000"],
    ["localhost/app", "localhost"],
    ["localhost:5000/app", "localhost:5000"],
    ["10.0.0.9:5000/app", "10.0.0.9:5000"],
    ["[fd00::1]:5000/app", "[fd00::1]:5000"],
  ])("%s pulls from %s", (image, host) => {
    expect(imageHost(image)).toBe(host);
  });
});

describe("podImages", () => {
  it("lists every container's image with its field path", () => {
    expect(
      podImages({
        spec: {
          containers: [{ image: "a" }, { image: "b" }],
          initContainers: [{ image: "c" }],
          ephemeralContainers: [{}],
        },
      }),
    ).toEqual([
      { path: "spec.containers[0].image", image: "a" },
      { path: "spec.containers[1].image", image: "b" },
      { path: "spec.initContainers[0].image", image: "c" },
    ]);
  });
});

describe("hostsOf", () => {
  const registry = (spec: object, url?: string) =>
    ({
      metadata: { name: "reg", namespace: "team" },
      spec,
      ...(url ? { status: { url } } : {}),
    }) as unknown as Registry;

  it("names the Service's hosts at the default port", () => {
    expect(hostsOf(registry({}))).toEqual(["reg.team.svc:5000", "reg.team.svc.cluster.local:5000"]);
  });

  it("counts an Ingress host only under a domain the policy owns", () => {
    const r = registry({ service: { port: 443 }, ingress: { host: "Images.Example.com" } });
    expect(hostsOf(r)).toEqual(["reg.team.svc:443", "reg.team.svc.cluster.local:443"]);
    expect(hostsOf(r, { ingressDomains: ["example.com"] })).toContain("images.example.com");
    // Anyone who may create a Registry chooses its Ingress host: docker.io is not ours.
    const squatter = registry({ ingress: { host: "docker.io" } }, "https://docker.io");
    expect(hostsOf(squatter, { ingressDomains: ["example.com"] })).not.toContain("docker.io");
  });
});
