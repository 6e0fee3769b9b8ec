import { selectorMatches, selectorProblems } from "../../../lib/api/fields/label-selector";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import { namespaceAllowed } from "../../../lib/dependencies/auth/allowed";
import { checkHtpasswd } from "../../../lib/dependencies/auth/htpasswd";
import { observeAuth } from "../../../lib/dependencies/auth/observe";
import type { ChildData, Reader } from "../../../lib/dependencies/dependency";
import { childNames } from "../../../lib/render/names";

const HASH = "$2y$05$" + "a".repeat(53);
const entry = (user: string) => `${user}:${HASH}`;

describe("htpasswd entries", () => {
  it("takes bcrypt entries only, and names a bad line by number, never by content", () => {
    const { entries, problems } = checkHtpasswd(
      `# comment\n${entry("a")}\n\nb:{SHA}secret-hash\nc:plain\n`,
    );
    expect(entries).toEqual([entry("a")]);
    expect(problems).toEqual([
      "line 4 is not a bcrypt entry (user:$2y$…)",
      "line 5 is not a bcrypt entry (user:$2y$…)",
    ]);
    expect(problems.join()).not.toContain("secret-hash");
  });
});

describe("label selectors", () => {
  it("match as metav1.LabelSelector does", () => {
    const labels = { team: "a", env: "prod" };
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { team: "a" } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { team: "b" } }, labels)).toBe(false);
    const expr = (operator: "In" | "NotIn" | "Exists" | "DoesNotExist", values?: string[]) => ({
      matchExpressions: [{ key: "env", operator, values }],
    });
    expect(selectorMatches(expr("In", ["prod", "dev"]), labels)).toBe(true);
    expect(selectorMatches(expr("NotIn", ["prod"]), labels)).toBe(false);
    expect(selectorMatches(expr("Exists"), labels)).toBe(true);
    expect(selectorMatches(expr("DoesNotExist"), labels)).toBe(false);
    expect(selectorMatches(expr("NotIn", ["prod"]), {})).toBe(true);
    expect(selectorProblems(expr("In"), "s")).toEqual([
      "s.matchExpressions[0].values: required with operator In",
    ]);
  });
});

describe("which namespaces may hold accounts", () => {
  const auth = (allowedNamespaces?: NonNullable<RegistrySpec["auth"]>["allowedNamespaces"]) => ({
    allowedNamespaces,
  });
  it("its own always; others by allowedNamespaces (Same by default)", () => {
    expect(namespaceAllowed(undefined, "reg", "reg")).toBe(true);
    expect(namespaceAllowed(undefined, "reg", "app")).toBe(false);
    expect(namespaceAllowed(auth({ from: "All" }), "reg", "app")).toBe(true);
    const sel = auth({ from: "Selector", selector: { matchLabels: { pull: "yes" } } });
    expect(namespaceAllowed(sel, "reg", "app", { pull: "yes" })).toBe(true);
    expect(namespaceAllowed(sel, "reg", "app", {})).toBe(false);
    expect(namespaceAllowed(sel, "reg", "app", undefined)).toBe(false);
  });
});

describe("observeAuth, with a fake reader", () => {
  type Account = ChildData;
  const reader = (
    accounts: Account[],
    secrets: Record<string, Record<string, string>> = {},
    namespaces: Record<string, Record<string, string>> = {},
  ): Reader => ({
    object: async () => undefined,
    data: async (_k, _ns, name) => secrets[name],
    childData: async () => undefined,
    childrenData: async (_k, labels) =>
      labels["registry-operator.dev/account-registry"] === "reg" ? accounts : [],
    namespaceLabels: async name => namespaces[name],
    servedKinds: async () => new Set<string>(),
    pingRedis: async () => ({ ok: true }),
  });
  const ctx = (spec: RegistrySpec) => ({ spec, names: childNames("reg"), namespace: "infra" });
  const account = (namespace: string, name: string, htpasswd?: string): Account => ({
    namespace,
    name,
    labels: { "registry-operator.dev/imagepullsecret": name },
    ownerReferences: [
      {
        apiVersion: "registry-operator.dev/v1alpha1",
        kind: "ImagePullSecret",
        name,
        uid: "u",
        controller: true,
      },
    ],
    data: { htpasswd: htpasswd ?? `${entry(`pull/${namespace}/${name}/1`)}\n` },
  });

  it("is off with no auth setting and no credential; any auth setting keeps it closed", async () => {
    expect(await observeAuth(ctx({}), reader([]))).toBeUndefined();
    const token = { realm: "https://auth.example.com/token", service: "s", issuer: "i" };
    for (const auth of [{ token }, { allowedNamespaces: { from: "All" as const } }])
      expect((await observeAuth(ctx({ auth }), reader([])))?.found).toEqual({ htpasswd: "" });
  });

  it("gathers the accounts of namespaces the registry allows, and says which it refused", async () => {
    const found = await observeAuth(
      ctx({
        auth: { allowedNamespaces: { from: "Selector", selector: { matchLabels: { a: "1" } } } },
      }),
      reader(
        [account("infra", "own"), account("team", "x"), account("other", "y")],
        {},
        { team: { a: "1" }, other: {} },
      ),
    );
    expect(found).toMatchObject({ type: "AuthReady", ready: true, reason: "Htpasswd" });
    expect(found!.found!.htpasswd).toBe(
      `${entry("pull/infra/own/1")}\n${entry("pull/team/x/1")}\n`,
    );
    expect(found!.message).toContain("2 managed accounts");
    expect(found!.message).toContain("Credentials in other are not let in");
  });

  it("uses none of a user Secret with a line that is not bcrypt, and says which line", async () => {
    const found = await observeAuth(
      ctx({ auth: { htpasswd: { secretRef: { name: "mine" } } } }),
      reader([account("infra", "own")], { mine: { htpasswd: `${entry("me")}\nyou:plain\n` } }),
    );
    expect(found).toMatchObject({ ready: false, reason: "InvalidHtpasswd" });
    expect(found!.message).toContain("line 2 is not a bcrypt entry");
    expect(found!.found!.htpasswd).toBe(`${entry("pull/infra/own/1")}\n`);
  });

  it("serves the user's entries with spec.auth.htpasswd and no credential", async () => {
    const found = await observeAuth(
      ctx({ auth: { htpasswd: { secretRef: { name: "mine", key: "users" } } } }),
      reader([], { mine: { users: entry("me") } }),
    );
    expect(found).toMatchObject({ ready: true });
    expect(found!.found!.htpasswd).toBe(`${entry("me")}\n`);
  });

  it("takes only a credential's own Secret, and only its own user names: a forged one cannot replace another account", async () => {
    const forged = { ...account("infra", "forged"), ownerReferences: [], labels: {} };
    const other = account(
      "infra",
      "own",
      `${entry("pull/infra/own/1")}\n${entry("push/infra/victim/1")}\n${entry("intruder")}\n`,
    );
    const found = await observeAuth(ctx({}), reader([forged, other]));
    expect(found!.found!.htpasswd).toBe(`${entry("pull/infra/own/1")}\n`);
  });

  it("refuses user entries with the managed accounts' prefixes", async () => {
    const found = await observeAuth(
      ctx({ auth: { htpasswd: { secretRef: { name: "mine" } } } }),
      reader([], { mine: { htpasswd: entry("pull/infra/own/1") } }),
    );
    expect(found).toMatchObject({ ready: false, reason: "InvalidHtpasswd" });
    expect(found!.found!.htpasswd).toBe("");
  });
});
