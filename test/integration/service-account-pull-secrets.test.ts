// Pull secrets that reach ServiceAccounts by themselves: a Registry selecting namespaces by label
// keeps an ImagePullSecret in each, whose Secret goes into the ServiceAccounts there — existing
// ones by reconcile, new ones at creation (mutating webhook) — and comes out of them, and only it,
// when the namespace stops matching or the Registry goes.
import { randomBytes } from "node:crypto";
import { apply, eventually, getJson, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { waitForCondition } from "../support/conditions";
import { refusesWith } from "../support/refusal";

const API = "registry-operator.dev/v1alpha1";
type Sa = {
  metadata: { annotations?: Record<string, string> };
  imagePullSecrets?: { name: string }[];
};

describe("pull secrets in ServiceAccounts", () => {
  const infra = testNamespace("sa-infra");
  const app = testNamespace("sa-app");
  const label = `pulls-${randomBytes(3).toString("hex")}`;
  const managed = `reg.${infra.name}`;
  afterAll(() => {
    infra.remove();
    app.remove();
  });
  const pulls = (ns: string, sa: string) =>
    (getJson<Sa>(["-n", ns, "serviceaccount", sa]).imagePullSecrets ?? []).map(r => r.name);
  const exists = (ns: string, kind: string, name: string) =>
    kubectl(["-n", ns, "get", kind, name, "-o", "name"]).code === 0;

  it("a selected namespace gets an ImagePullSecret whose Secret goes into its existing ServiceAccounts, next to the user's own", async () => {
    kubectlOk(["-n", app.name, "create", "serviceaccount", "existing"]);
    kubectlOk([
      "-n",
      app.name,
      "patch",
      "serviceaccount",
      "existing",
      "--type=merge",
      "-p",
      JSON.stringify({ imagePullSecrets: [{ name: "mine" }] }),
    ]);
    const registry = {
      apiVersion: API,
      kind: "Registry",
      metadata: { name: "reg" },
      spec: {
        image: "registry:3.0.0",
        tls: { selfSigned: {} },
        auth: { managedPullSecrets: { namespaceSelector: { matchLabels: { [label]: "yes" } } } },
      },
    };
    expect(apply(registry, infra.name).code).toBe(0);
    kubectlOk(["label", "namespace", app.name, `${label}=yes`]);
    await waitForCondition(app.name, "imagepullsecret", managed, { type: "Ready", status: "True" });
    await eventually(
      () => (pulls(app.name, "existing").includes(managed) ? true : undefined),
      60_000,
      "the pull secret in ServiceAccount existing",
    );
    expect(pulls(app.name, "existing")).toEqual(["mine", managed]);
    await eventually(
      () => (pulls(app.name, "default").includes(managed) ? true : undefined),
      30_000,
      "the pull secret in ServiceAccount default",
    );
  });

  it("a ServiceAccount created there has it at creation", () => {
    const created = JSON.parse(
      kubectlOk(["-n", app.name, "create", "serviceaccount", "fresh", "-o", "json"]),
    ) as Sa;
    expect(created.imagePullSecrets).toEqual([{ name: managed }]);
  });

  it("a namespace that stops matching loses the ImagePullSecret and only the pull secrets the operator added", async () => {
    kubectlOk(["label", "namespace", app.name, `${label}-`]);
    await eventually(
      () => (exists(app.name, "imagepullsecret", managed) ? undefined : true),
      60_000,
      "the managed ImagePullSecret removed",
    );
    await eventually(
      () => (pulls(app.name, "existing").includes(managed) ? undefined : true),
      60_000,
      "the pull secret out of ServiceAccount existing",
    );
    expect(pulls(app.name, "existing")).toEqual(["mine"]);
    expect(pulls(app.name, "fresh")).toEqual([]);
    expect(
      getJson<Sa>(["-n", app.name, "serviceaccount", "existing"]).metadata.annotations ?? {},
    ).not.toHaveProperty("registry-operator.dev/injected-pull-secrets");
  });

  it("an ImagePullSecret names the ServiceAccounts of its own namespace; an ImagePushSecret cannot", async () => {
    kubectlOk(["-n", infra.name, "create", "serviceaccount", "builder"]);
    const own = {
      apiVersion: API,
      kind: "ImagePullSecret",
      metadata: { name: "builds" },
      spec: { registryRef: { name: "reg" }, serviceAccounts: ["builder"] },
    };
    expect(apply(own, infra.name).code).toBe(0);
    await eventually(
      () => (pulls(infra.name, "builder").includes("builds") ? true : undefined),
      60_000,
      "Secret builds in ServiceAccount builder",
    );
    expect(pulls(infra.name, "default")).not.toContain("builds");
    const status = getJson<{ status: { serviceAccounts?: string[] } }>([
      "-n",
      infra.name,
      "imagepullsecret",
      "builds",
    ]).status;
    expect(status.serviceAccounts).toEqual(["builder"]);
    const push = apply({ ...own, kind: "ImagePushSecret" }, infra.name);
    expect(push.code).not.toBe(0);
    // Its schema has no such field: the API server refuses it before the webhook is asked.
    expect(refusesWith(push.stderr, 'unknown field "spec.serviceAccounts"')).toBe(true);
    // Deleting it takes its Secret out of the ServiceAccount.
    kubectlOk(["-n", infra.name, "delete", "imagepullsecret", "builds"]);
    await eventually(
      () => (pulls(infra.name, "builder").includes("builds") ? undefined : true),
      60_000,
      "Secret builds out of ServiceAccount builder",
    );
  });

  it("a ServiceAccount created after its ImagePullSecret gets the Secret, and loses it when the list no longer names it", async () => {
    const own = {
      apiVersion: API,
      kind: "ImagePullSecret",
      metadata: { name: "later" },
      spec: { registryRef: { name: "reg" }, serviceAccounts: ["ghost"] },
    };
    expect(apply(own, infra.name).code).toBe(0);
    await waitForCondition(infra.name, "imagepullsecret", "later", {
      type: "Ready",
      status: "True",
    });
    const created = JSON.parse(
      kubectlOk(["-n", infra.name, "create", "serviceaccount", "ghost", "-o", "json"]),
    ) as Sa;
    expect(created.imagePullSecrets).toEqual([{ name: "later" }]);
    expect(apply({ ...own, spec: { registryRef: { name: "reg" } } }, infra.name).code).toBe(0);
    await eventually(
      () => (pulls(infra.name, "ghost").includes("later") ? undefined : true),
      30_000,
      "Secret later out of ServiceAccount ghost",
    );
  });

  it("never takes over a user's own ImagePullSecret of the managed name", async () => {
    const other = testNamespace("sa-own");
    try {
      const mine = {
        apiVersion: API,
        kind: "ImagePullSecret",
        metadata: { name: managed },
        spec: { registryRef: { name: "own" }, serviceAccounts: ["app"] },
      };
      // The user's object comes first; then the namespace is selected.
      expect(apply(mine, other.name).code).toBe(0);
      kubectlOk(["label", "namespace", other.name, `${label}=yes`, "--overwrite"]);
      await eventually(
        () =>
          kubectl([
            "-n",
            infra.name,
            "get",
            "events",
            "--field-selector",
            "reason=ManagedPullSecretConflict",
            "-o",
            "name",
          ]).stdout.trim() || undefined,
        30_000,
        "a ManagedPullSecretConflict Event",
      );
      const kept = getJson<{ spec: { serviceAccounts: string[] }; metadata: { labels?: object } }>([
        "-n",
        other.name,
        "imagepullsecret",
        managed,
      ]);
      expect(kept.spec.serviceAccounts).toEqual(["app"]);
      expect(kept.metadata.labels ?? {}).not.toHaveProperty(
        "registry-operator.dev/managed-by-registry",
      );
      kubectlOk(["label", "namespace", other.name, `${label}-`]);
      await new Promise(r => setTimeout(r, 3000));
      expect(exists(other.name, "imagepullsecret", managed)).toBe(true);
    } finally {
      other.remove();
    }
  });

  it("a deleted Registry's pull secrets are removed from the namespaces it selected", async () => {
    kubectlOk(["label", "namespace", app.name, `${label}=yes`]);
    await eventually(
      () => (exists(app.name, "imagepullsecret", managed) ? true : undefined),
      60_000,
      "the managed ImagePullSecret back",
    );
    kubectlOk(["-n", infra.name, "delete", "registry", "reg"]);
    // At once: the Registry's deletion is heard, not left to the resync.
    await eventually(
      () => (exists(app.name, "imagepullsecret", managed) ? undefined : true),
      15_000,
      "the managed ImagePullSecret removed with the Registry",
    );
  });
});
