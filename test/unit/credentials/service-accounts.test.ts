import { validateCredential } from "../../../lib/admission/validate-credential";
import {
  applyPullSecretChange,
  INJECTED_ANNOTATION,
  pullSecretChange,
  pullSecretPatch,
  type ServiceAccountLike,
} from "../../../lib/render/credentials/service-accounts";
import { managedPullSecret } from "../../../lib/render/credentials/managed-pull-secret";
import { namespaceAllowed } from "../../../lib/dependencies/auth/allowed";

const sa = (pulls: string[], injected?: string): ServiceAccountLike => ({
  metadata: {
    name: "default",
    resourceVersion: "7",
    ...(injected !== undefined ? { annotations: { [INJECTED_ANNOTATION]: injected } } : {}),
  },
  imagePullSecrets: pulls.map(name => ({ name })),
});

describe("pull secrets in ServiceAccounts", () => {
  it("adds ours and records that it did", () => {
    const change = pullSecretChange(sa(["mine"]), "ours", true)!;
    expect(change).toEqual({
      imagePullSecrets: [{ name: "mine" }, { name: "ours" }],
      injected: ["ours"],
    });
    const account = sa(["mine"]);
    applyPullSecretChange(account, change);
    expect(account.metadata?.annotations).toEqual({ [INJECTED_ANNOTATION]: "ours" });
  });

  it("does not claim one the user listed, and never removes it", () => {
    expect(pullSecretChange(sa(["ours"]), "ours", true)).toBeUndefined();
    expect(pullSecretChange(sa(["ours"]), "ours", false)).toBeUndefined();
  });

  it("removes only what it added, keeping the user's", () => {
    expect(pullSecretChange(sa(["mine", "ours"], "ours"), "ours", false)).toEqual({
      imagePullSecrets: [{ name: "mine" }],
      injected: [],
    });
  });

  it("patches only the version it read, and drops its annotation when nothing of ours is left", () => {
    const account = sa(["ours"], "ours");
    const ops = pullSecretPatch(account, pullSecretChange(account, "ours", false)!);
    expect(ops).toEqual([
      { op: "test", path: "/metadata/resourceVersion", value: "7" },
      { op: "add", path: "/imagePullSecrets", value: [] },
      { op: "remove", path: "/metadata/annotations/registry-operator.dev~1injected-pull-secrets" },
    ]);
    const fresh = sa([]);
    expect(pullSecretPatch(fresh, pullSecretChange(fresh, "ours", true)!)[2]).toEqual({
      op: "add",
      path: "/metadata/annotations",
      value: { [INJECTED_ANNOTATION]: "ours" },
    });
  });
});

describe("managed pull secrets", () => {
  const managed = { namespaceSelector: { matchLabels: { pulls: "yes" } } };
  it("are ImagePullSecrets named <registry>.<namespace> for every ServiceAccount by default", () => {
    expect(managedPullSecret({ name: "reg", namespace: "infra" }, managed, "app")).toMatchObject({
      kind: "ImagePullSecret",
      metadata: { name: "reg.infra", namespace: "app" },
      spec: { registryRef: { name: "reg", namespace: "infra" }, serviceAccounts: ["*"] },
    });
  });

  it("let the namespaces they go to hold accounts", () => {
    const auth = { managedPullSecrets: managed };
    expect(namespaceAllowed(auth, "infra", "app", { pulls: "yes" })).toBe(true);
    expect(namespaceAllowed(auth, "infra", "app", {})).toBe(false);
  });
});

describe("credential names", () => {
  const cred = (name: string) => ({
    metadata: { name },
    spec: { registryRef: { name: "reg" } },
  });
  const check = (name: string) =>
    validateCredential(cred(name), { kind: "ImagePullSecret", namespace: "ns" });
  it("may not be one a Registry's own Secret could have; with a dot they never are", () => {
    expect(check("reg-htpasswd").problems[0]).toContain('metadata.name: ends in "-htpasswd"');
    expect(check("reg-tls-ca").allowed).toBe(false);
    expect(check("team-pull").allowed).toBe(true);
    expect(check("reg.infra-tls").allowed).toBe(true);
  });
});
