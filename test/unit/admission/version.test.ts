import { resolveRegistry } from "../../../lib/admission/resolve";
import { resolveCache, validateCache } from "../../../lib/admission/validate-cache";
import {
  validateRegistry,
  validateRegistryTemplate,
} from "../../../lib/admission/validate-registry";
import { registryVersion } from "../../../lib/api/version";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import { renderRegistryOf } from "../../support/render";

const registry = (image: string) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "Registry",
  metadata: { name: "reg", namespace: "ns" },
  spec: resolveRegistry({ incoming: { spec: { image } } }).spec,
});
const cache = (image: string) => ({
  apiVersion: "registry-operator.dev/v1alpha1",
  kind: "Cache",
  metadata: { name: "c", namespace: "ns" },
  spec: resolveCache({ upstreamRegistryURL: "https://quay.io", image }),
});

describe("registry versions at admission", () => {
  it.each([
    "registry:2.8.3",
    "registry:2",
    "registry:3.0.0",
    "registry:3.1.2",
    "registry:3",
    "registry:latest",
  ])("accepts %s", image => {
    expect(validateRegistry(registry(image)).problems).toEqual([]);
    expect(validateCache(cache(image)).problems).toEqual([]);
  });

  it.each([
    ["registry:2.7.1", "registry 2.7.1"],
    ["registry:4.0.0", "registry 4.0.0"],
    ["ghcr.io/org/registry:v1.0", "registry 1.0"],
  ])("refuses %s, naming the field and what is supported", (image, named) => {
    const expected = `spec.image: ${named} is not supported: this operator renders the configuration of 2.8.x (config format v2) or 3.x (v3)`;
    expect(validateRegistry(registry(image)).problems).toContain(expected);
    expect(validateCache(cache(image)).problems).toContain(expected);
  });

  it("lets spec.image name again the 2.8 image a failed upgrade to 3 was rolled back to", () => {
    const rolledBack = {
      ...registry("unpullable.invalid/library/registry:3.0.0"),
      status: {
        image: "registry:2.8.3",
        lastHealthyImage: "registry:2.8.3",
        rollback: { from: "unpullable.invalid/library/registry:3.0.0", to: "registry:2.8.3" },
      },
    };
    expect(validateRegistry(registry("registry:2.8.3"), { old: rolledBack }).problems).toEqual([]);
    expect(
      validateCache(cache("registry:2.8.3"), true, {
        ...cache("registry:3.0.0"),
        status: rolledBack.status,
      } as never).problems,
    ).toEqual([]);
    // Any other 2.x is still a downgrade.
    expect(
      validateRegistry(registry("registry:2.8.1"), { old: rolledBack }).problems.join(),
    ).toContain("cannot go back");
  });

  it("refuses going back across majors, for a Registry, a Cache and a template", () => {
    const down = validateRegistry(registry("registry:2.8.3"), { old: registry("registry:3.0.0") });
    expect(down.problems).toContain(
      "spec.image: cannot go back from registry:3.0.0 to registry:2.8.3: a downgrade from registry 3 to 2 is not supported; set an image of the 3.x line, or create a new Registry for the older version",
    );
    expect(
      validateCache(cache("registry:2.8.3"), true, cache("registry:latest")).problems.join("\n"),
    ).toMatch(/^spec\.image: cannot go back from registry:latest to registry:2\.8\.3/m);
    const template = (image: string) => ({
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "RegistryTemplate",
      metadata: { name: "t" },
      spec: { image },
    });
    expect(
      validateRegistryTemplate(template("registry:2"), template("registry:3.0.0")).allowed,
    ).toBe(false);
    // Within a major, and forward, it is an upgrade or a rollback the operator renders.
    expect(
      validateRegistry(registry("registry:3.0.0"), { old: registry("registry:3.1.2") }).allowed,
    ).toBe(true);
    expect(
      validateRegistry(registry("registry:3.0.0"), { old: registry("registry:2.8.3") }).allowed,
    ).toBe(true);
  });

  it("leaves a stored image alone: an update that keeps it is not refused for it", () => {
    expect(
      validateRegistry(registry("registry:2.7.1"), { old: registry("registry:2.7.1") }).problems,
    ).toEqual([]);
    expect(validateCache(cache("registry:2.7.1"), true, cache("registry:2.7.1")).problems).toEqual(
      [],
    );
  });

  it.each([
    "me/registry:2024.01",
    "me/registry:20240115",
    "me/registry:0a1b2c3",
    "me/registry:9f8e7d6",
  ])("takes %s, which names no version, as the newest 3.x", image => {
    expect(validateRegistry(registry(image)).problems).toEqual([]);
    expect(registryVersion(image)).toEqual({ format: "v3" });
  });

  it("renders the v3 configuration once a v2 registry is upgraded to 3", () => {
    const render = (image: string) =>
      renderRegistryOf({
        name: "reg",
        namespace: "ns",
        uid: "u",
        spec: registry(image).spec as RegistrySpec,
      });
    expect(render("registry:2.8.3")).toMatchObject({
      format: "v2",
      configPath: "/etc/docker/registry/config.yml",
    });
    expect(render("registry:3.0.0")).toMatchObject({
      format: "v3",
      configPath: "/etc/distribution/config.yml",
    });
  });
});
