// ImagePullSecret and ImagePushSecret against the real API server and the running module: the
// Secrets they keep, the Registry's htpasswd Secret that gathers their accounts, who may hold an
// account on a registry in another namespace, and what bad input gets.
import { execFileSync } from "node:child_process";
import {
  apply,
  createSecret,
  eventually,
  getJson,
  kubectl,
  kubectlOk,
  patchRegistrySpec,
  testNamespace,
} from "../support/kubectl";
import { conditionOf, getObject, waitForCondition } from "../support/conditions";
import { refusesWith } from "../support/refusal";

const API = "registry-operator.dev/v1alpha1";
const registry = (name: string, spec: object = {}) => ({
  apiVersion: API,
  kind: "Registry",
  metadata: { name },
  spec: { image: "registry:3.0.0", ...spec },
});
const credential = (kind: string, name: string, spec: object) => ({
  apiVersion: API,
  kind,
  metadata: { name },
  spec,
});
type SecretObj = {
  type: string;
  data?: Record<string, string>;
  metadata: { labels?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
};
const decoded = (s: SecretObj | undefined) =>
  Object.fromEntries(
    Object.entries(s?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
  );
const secret = (ns: string, name: string) =>
  kubectl(["-n", ns, "get", "secret", name, "-o", "json"]).code === 0
    ? getJson<SecretObj>(["-n", ns, "secret", name])
    : undefined;

describe("credentials", () => {
  const infra = testNamespace("cred-infra");
  const team = testNamespace("cred-team");
  afterAll(() => {
    infra.remove();
    team.remove();
  });

  it("an ImagePullSecret gets a dockerconfigjson Secret for the registry's host and CA, and its account reaches the registry's htpasswd", async () => {
    expect(apply(registry("reg", { tls: { selfSigned: {} } }), infra.name).code).toBe(0);
    const created = apply(
      credential("ImagePullSecret", "pull", { registryRef: { name: "reg" } }),
      infra.name,
    );
    expect(created.code).toBe(0);
    const ready = await waitForCondition(infra.name, "imagepullsecret", "pull", {
      type: "Ready",
      status: "True",
    });
    expect(ready.reason).toBe("CredentialsReady");
    const s = secret(infra.name, "pull")!;
    expect(s.type).toBe("kubernetes.io/dockerconfigjson");
    expect(s.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "ImagePullSecret", name: "pull" }),
    ]);
    const data = decoded(s);
    const host = `reg.${infra.name}.svc:5000`;
    expect(data.hostname).toBe(host);
    const ca = decoded(getJson<SecretObj>(["-n", infra.name, "configmap", "reg-ca"]) as SecretObj);
    expect(data["ca.crt"]).toContain("BEGIN CERTIFICATE");
    void ca;
    const login = JSON.parse(data[".dockerconfigjson"]).auths[host];
    expect(login.username).toBe(`pull/${infra.name}/pull/1`);
    // The registry serves exactly that account; the password is in no status or event.
    const htpasswd = decoded(secret(infra.name, "reg-htpasswd")).htpasswd;
    expect(htpasswd).toBe(data.htpasswd);
    const status = getObject(infra.name, "imagepullsecret", "pull").status!;
    expect(status).toMatchObject({ secretName: "pull", registry: host, username: login.username });
    const events = kubectlOk(["-n", infra.name, "get", "events", "-o", "json"]);
    const everything =
      JSON.stringify(status) + events + JSON.stringify(getObject(infra.name, "registry", "reg"));
    expect(everything).not.toContain(login.password);
    expect(conditionOf(infra.name, "registry", "reg", "AuthReady")).toMatchObject({
      status: "True",
      reason: "Htpasswd",
    });
  });

  it("an ImagePushSecret gets an Opaque Secret with config.json", async () => {
    expect(
      apply(credential("ImagePushSecret", "push", { registryRef: { name: "reg" } }), infra.name)
        .code,
    ).toBe(0);
    await waitForCondition(infra.name, "imagepushsecret", "push", {
      type: "Ready",
      status: "True",
    });
    const s = secret(infra.name, "push")!;
    expect(s.type).toBe("Opaque");
    const config = JSON.parse(decoded(s)["config.json"]);
    expect(config.auths[`reg.${infra.name}.svc:5000`].username).toBe(`push/${infra.name}/push/1`);
    await eventually(
      () =>
        decoded(secret(infra.name, "reg-htpasswd")).htpasswd.includes(`push/${infra.name}/push/1:`)
          ? true
          : undefined,
      30_000,
      "the push account in the registry's htpasswd",
    );
  });

  it("refuses a credential in a namespace the registry does not allow, naming the field; allowing it by label lets it in", async () => {
    const denied = apply(
      credential("ImagePullSecret", "cross", {
        registryRef: { name: "reg", namespace: infra.name },
      }),
      team.name,
    );
    expect(denied.code).not.toBe(0);
    expect(
      refusesWith(
        denied.stderr,
        `spec.registryRef.namespace: Registry ${infra.name}/reg does not let credentials in namespace ${team.name} hold accounts`,
      ),
    ).toBe(true);
    kubectlOk(["label", "namespace", team.name, "registry-access=pull"]);
    const patched = patchRegistrySpec(infra.name, "reg", {
      auth: {
        allowedNamespaces: {
          from: "Selector",
          selector: { matchLabels: { "registry-access": "pull" } },
        },
      },
    });
    expect(patched.stderr).toBe("");
    expect(
      apply(
        credential("ImagePullSecret", "cross", {
          registryRef: { name: "reg", namespace: infra.name },
        }),
        team.name,
      ).code,
    ).toBe(0);
    await waitForCondition(team.name, "imagepullsecret", "cross", {
      type: "Ready",
      status: "True",
    });
    // The namespace stops matching: its account leaves the registry at once (a namespace's change
    // requeues the Registries that select by label), and the credential says why.
    kubectlOk(["label", "namespace", team.name, "registry-access-"]);
    await eventually(
      () =>
        decoded(secret(infra.name, "reg-htpasswd")).htpasswd.includes(`/${team.name}/cross/`)
          ? undefined
          : true,
      15_000,
      "the refused namespace's account out of the registry's htpasswd",
    );
    const refused = await waitForCondition(
      team.name,
      "imagepullsecret",
      "cross",
      { type: "Ready", status: "False", reason: "NamespaceNotAllowed" },
      15_000,
    );
    expect(refused.message).toContain("namespaces matching spec.auth.allowedNamespaces.selector");
    // No stale account in its status either.
    const stale = getObject(team.name, "imagepullsecret", "cross").status ?? {};
    expect(stale).not.toHaveProperty("username");
    expect(stale).not.toHaveProperty("nextRotationTime");
  });

  it("accepts a credential for a registry that does not exist yet with a warning, and becomes Ready once it does", async () => {
    const early = apply(
      credential("ImagePullSecret", "early", { registryRef: { name: "later" } }),
      infra.name,
    );
    expect(early.code).toBe(0);
    expect(early.stderr).toContain(
      `spec.registryRef: Registry ${infra.name}/later does not exist (yet)`,
    );
    await waitForCondition(infra.name, "imagepullsecret", "early", {
      type: "Ready",
      status: "False",
      reason: "RegistryNotFound",
    });
    expect(secret(infra.name, "early")).toBeUndefined();
    expect(apply(registry("later", { tls: { selfSigned: {} } }), infra.name).code).toBe(0);
    await waitForCondition(infra.name, "imagepullsecret", "early", {
      type: "Ready",
      status: "True",
    });
  });

  it("refuses a name one of a Registry's own Secrets could have", () => {
    const r = apply(
      credential("ImagePullSecret", "reg-htpasswd", { registryRef: { name: "reg" } }),
      infra.name,
    );
    expect(r.code).not.toBe(0);
    expect(refusesWith(r.stderr, 'metadata.name: ends in "-htpasswd"')).toBe(true);
  });

  it("refuses an interval below the minimum, naming the field", () => {
    const r = apply(
      credential("ImagePullSecret", "fast", {
        registryRef: { name: "reg" },
        rotationInterval: "30s",
      }),
      infra.name,
    );
    expect(r.code).not.toBe(0);
    expect(refusesWith(r.stderr, "spec.rotationInterval: must be at least 60s")).toBe(true);
    const grace = apply(
      credential("ImagePushSecret", "fast", { registryRef: { name: "reg" }, gracePeriod: "1s" }),
      infra.name,
    );
    expect(refusesWith(grace.stderr, "spec.gracePeriod: must be at least 10s")).toBe(true);
    const longer = apply(
      credential("ImagePullSecret", "fast", {
        registryRef: { name: "reg" },
        rotationInterval: "1h",
        gracePeriod: "2h",
      }),
      infra.name,
    );
    expect(
      refusesWith(longer.stderr, "gracePeriod: must not be longer than rotationInterval"),
    ).toBe(true);
  });

  it("does not write over another credential's Secret of the same name", async () => {
    expect(
      apply(credential("ImagePushSecret", "pull", { registryRef: { name: "reg" } }), infra.name)
        .code,
    ).toBe(0);
    const c = await waitForCondition(infra.name, "imagepushsecret", "pull", {
      type: "Ready",
      status: "False",
      reason: "SecretNotWritten",
    });
    expect(c.message).toContain("ImagePullSecret pull");
    expect(secret(infra.name, "pull")!.type).toBe("kubernetes.io/dockerconfigjson");
  });

  it("uses the user's own htpasswd entries when they are bcrypt, and none of them when a line is not", async () => {
    const apacheEntry = execFileSync("htpasswd", ["-nbB", "alice", "wonderland"], {
      encoding: "utf8",
    }).trim();
    createSecret(infra.name, "users", { htpasswd: `${apacheEntry}\n` });
    expect(
      patchRegistrySpec(infra.name, "reg", { auth: { htpasswd: { secretRef: { name: "users" } } } })
        .code,
    ).toBe(0);
    await eventually(
      () =>
        decoded(secret(infra.name, "reg-htpasswd")).htpasswd.includes(`${apacheEntry}\n`)
          ? true
          : undefined,
      30_000,
      "alice in the registry's htpasswd",
    );
    createSecret(infra.name, "users", { htpasswd: `${apacheEntry}\nbob:plain-text\n` });
    const bad = await waitForCondition(infra.name, "registry", "reg", {
      type: "AuthReady",
      status: "False",
      reason: "InvalidHtpasswd",
    });
    expect(bad.message).toContain("line 2 is not a bcrypt entry");
    expect(bad.message).not.toContain("plain-text");
    const served = decoded(secret(infra.name, "reg-htpasswd")).htpasswd;
    expect(served).not.toContain("alice:");
    expect(served).toContain(`pull/${infra.name}/pull/1:`);
    expect(conditionOf(infra.name, "registry", "reg", "Ready")?.status).toBe("False");
  });

  it("a Secret merely labelled as an account adds nothing to the registry's htpasswd", async () => {
    const forged = `push/${infra.name}/push/1:$2y$05$${"a".repeat(53)}`;
    apply(
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "forged",
          labels: {
            "app.kubernetes.io/managed-by": "registry-operator",
            "registry-operator.dev/imagepushsecret": "forged",
            "registry-operator.dev/account-registry": "reg",
            "registry-operator.dev/account-namespace": infra.name,
          },
        },
        stringData: { htpasswd: `${forged}\nintruder:$2y$05$${"b".repeat(53)}\n` },
      },
      infra.name,
    );
    // Anything requeues the Registry; its file keeps only real accounts.
    expect(patchRegistrySpec(infra.name, "reg", { config: { log: { level: "debug" } } }).code).toBe(
      0,
    );
    await new Promise(r => setTimeout(r, 3000));
    const served = decoded(secret(infra.name, "reg-htpasswd")).htpasswd;
    expect(served).not.toContain(forged);
    expect(served).not.toContain("intruder:");
    expect(served).toContain(`push/${infra.name}/push/1:`);
  });

  it("deleting an ImagePullSecret deletes its Secret and takes its account out of the registry", async () => {
    kubectlOk(["-n", infra.name, "delete", "imagepullsecret", "pull"]);
    await eventually(
      () => (secret(infra.name, "pull") ? undefined : true),
      60_000,
      "Secret pull gone",
    );
    await eventually(
      () =>
        decoded(secret(infra.name, "reg-htpasswd")).htpasswd.includes(`pull/${infra.name}/pull/`)
          ? undefined
          : true,
      30_000,
      "the account out of the registry's htpasswd",
    );
  });
});
