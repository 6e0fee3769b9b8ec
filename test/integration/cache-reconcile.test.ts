// Cache reconcile against the real API server: the primary design's Cache becomes a proxy-mode
// registry, Ready; credentials come from a Secret by reference; URL changes roll the pods.
import { join } from "node:path";
import { parse } from "yaml";
import {
  eventually,
  getJson,
  kubectl,
  kubectlOk,
  createSecret,
  testNamespace,
} from "../support/kubectl";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const samples = join(__dirname, "../../samples");

describe("Cache reconcile", () => {
  const ns = testNamespace("cache");
  afterAll(() => ns.remove());
  const get = (...args: string[]): Loose => getJson(["-n", ns.name, ...args]);
  const condition = (name: string, type: string) =>
    (get("cache", name).status?.conditions ?? []).find((c: { type: string }) => c.type === type);
  const config = (name: string) =>
    parse(Buffer.from(get("secret", `${name}-config`).data["config.yml"], "base64").toString());
  const patch = (name: string, spec: object) =>
    kubectlOk([
      "-n",
      ns.name,
      "patch",
      "cache",
      name,
      "--type=merge",
      "-p",
      JSON.stringify({ spec }),
    ]);

  it("turns the primary design's Cache into a Ready proxy-mode registry", async () => {
    const r = kubectl(["-n", ns.name, "apply", "-f", join(samples, "cache.yaml")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "spec.maxCacheSize: 100Gi exceeds spec.volume.size 50Gi; the cache is limited to 50Gi",
    );
    const ready = await eventually(
      () => (condition("my-cache", "Ready")?.status === "True" ? true : undefined),
      30_000,
      "the Cache to be Ready",
    );
    expect(ready).toBe(true);
    expect(config("my-cache").proxy).toEqual({
      remoteurl: "https://my-upstream-registry.com",
      ttl: "24h",
    });
    const pod = get("deployment", "my-cache").spec.template.spec;
    expect(pod.volumes.find((v: Loose) => v.name === "data").emptyDir).toEqual({
      sizeLimit: "50Gi",
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(get("service", "my-cache").spec.selector).toEqual({
      "app.kubernetes.io/name": "registry-cache",
      "app.kubernetes.io/instance": "my-cache",
    });
    expect(get("cache", "my-cache").status.url).toBe(`https://my-cache.${ns.name}.svc:5000`);
  });

  it("says a missing credentials Secret is what blocks it, then reads the Secret by reference", async () => {
    patch("my-cache", { credentialsSecretRef: { name: "upstream-login" } });
    const missing = await eventually(
      () =>
        condition("my-cache", "Ready")?.reason === "SecretNotFound"
          ? condition("my-cache", "Ready")
          : undefined,
      30_000,
      "Ready=False SecretNotFound",
    );
    expect(missing.message).toContain(
      "Secret upstream-login (spec.credentialsSecretRef) not found",
    );
    expect(condition("my-cache", "UpstreamCredentialsReady")).toMatchObject({
      status: "False",
      reason: "SecretNotFound",
    });

    createSecret(ns.name, "upstream-login", { username: "puller", password: "not-in-any-config" });
    await eventually(
      () => (condition("my-cache", "Ready")?.status === "True" ? true : undefined),
      30_000,
      "Ready once the Secret exists",
    );
    const env = get("deployment", "my-cache").spec.template.spec.containers[0].env;
    expect(env).toEqual(
      expect.arrayContaining([
        {
          name: "REGISTRY_PROXY_USERNAME",
          valueFrom: { secretKeyRef: { name: "upstream-login", key: "username" } },
        },
        {
          name: "REGISTRY_PROXY_PASSWORD",
          valueFrom: { secretKeyRef: { name: "upstream-login", key: "password" } },
        },
      ]),
    );
    const rendered = kubectlOk(["-n", ns.name, "get", "deploy,cache", "-o", "yaml"]);
    for (const leak of ["not-in-any-config", Buffer.from("not-in-any-config").toString("base64")])
      expect(rendered).not.toContain(leak);
    expect(JSON.stringify(config("my-cache"))).not.toContain("not-in-any-config");
  });

  it("rolls the pods when the upstream URL changes", async () => {
    const before = get("deployment", "my-cache").spec.template.metadata.annotations[
      "registry-operator.dev/config-checksum"
    ];
    patch("my-cache", { upstreamRegistryURL: "https://quay.io" });
    const after = await eventually(
      () => {
        const sum = get("deployment", "my-cache").spec.template.metadata.annotations[
          "registry-operator.dev/config-checksum"
        ];
        return sum !== before ? sum : undefined;
      },
      30_000,
      "a new config checksum",
    );
    expect(after).not.toBe(before);
    expect(config("my-cache").proxy.remoteurl).toBe("https://quay.io");
  });

  it("restores a deleted child", async () => {
    kubectlOk(["-n", ns.name, "delete", "service", "my-cache"]);
    await eventually(
      () => (kubectl(["-n", ns.name, "get", "service", "my-cache"]).code === 0 ? true : undefined),
      15_000,
      "the Service back",
    );
  });
});

describe("a Cache and a Registry with one name", () => {
  const ns = testNamespace("cache-clash");
  afterAll(() => ns.remove());
  const get = (...args: string[]): Loose => getJson(["-n", ns.name, ...args]);

  it("leaves the Registry's children alone and says why the Cache cannot run", async () => {
    const apply = (obj: object) =>
      kubectlOk(["-n", ns.name, "apply", "-f", "-"], JSON.stringify(obj));
    apply({
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "Registry",
      metadata: { name: "dup" },
      spec: {},
    });
    await eventually(
      () => (kubectl(["-n", ns.name, "get", "deployment", "dup"]).code === 0 ? true : undefined),
      20_000,
      "the Registry's Deployment",
    );
    apply({
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "Cache",
      metadata: { name: "dup" },
      spec: { upstreamRegistryURL: "https://quay.io" },
    });
    const ready = await eventually(
      () => {
        const c = (get("cache", "dup").status?.conditions ?? []).find(
          (x: Loose) => x.type === "Ready",
        );
        return c?.reason === "ApplyFailed" ? c : undefined;
      },
      30_000,
      "the Cache to report ApplyFailed",
    );
    expect(ready.message).toContain(
      "Deployment dup already belongs to Registry dup; give this Cache another name",
    );
    const owner = get("deployment", "dup").metadata.ownerReferences[0];
    expect(owner).toMatchObject({ kind: "Registry", name: "dup" });
    expect(get("deployment", "dup").spec.template.metadata.labels["app.kubernetes.io/name"]).toBe(
      "registry",
    );
  });
});
