import bcrypt from "bcryptjs";
import {
  liveEntries,
  nextChange,
  parseRotation,
  PROPAGATION_MS,
  MAX_RETIRING,
  rotate,
  type Password,
  type RotationState,
} from "../../../lib/render/credentials/rotation";
import { credentialSecret, type CredentialTarget } from "../../../lib/render/credentials/secret";
import type { Generation } from "../../../lib/kubernetes/objects";

const MIN = 60_000;
const t0 = new Date("2030-01-01T00:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);
const policy = { intervalMs: 60 * MIN, graceMs: 10 * MIN, propagationMs: PROPAGATION_MS };
const issue = async (revision: number): Promise<Password> => ({
  username: `u/${revision}`,
  password: `p${revision}`,
  entry: `u/${revision}:hash${revision}`,
});

describe("password rotation", () => {
  it("hands out a new password only once the registry has it, and retires the old one after the grace period", async () => {
    const registry = new Set<string>();
    const has = (e: string) => registry.has(e);
    let s: RotationState = await rotate(undefined, at(0), policy, has, issue);
    expect(s.current.username).toBe("u/1");
    registry.add(s.current.entry);

    // Not due yet: nothing changes.
    expect(await rotate(s, at(59), policy, has, issue)).toEqual(s);

    // Due: the new password goes to the registry first; clients keep the current one.
    s = await rotate(s, at(60), policy, has, issue);
    expect(s.current.username).toBe("u/1");
    expect(s.next?.username).toBe("u/2");
    expect(liveEntries(s)).toEqual(["u/1:hash1", "u/2:hash2"]);

    // The registry has not taken it: still not handed out, however long it takes.
    s = await rotate(s, at(80), policy, has, issue);
    expect(s.current.username).toBe("u/1");
    registry.add(s.next!.entry);
    // Taken at 81: its pods may not see the file for 90 s, counted from then, not from 60.
    s = await rotate(s, at(81), policy, has, issue);
    expect(s.next?.seenAt).toBe(at(81).toISOString());
    expect((await rotate(s, at(82), policy, has, issue)).current.username).toBe("u/1");
    s = await rotate(s, at(82.5), policy, has, issue);
    expect(s.current.username).toBe("u/2");
    expect(s.next).toBeUndefined();
    expect(s.retiring).toEqual([{ entry: "u/1:hash1", expiresAt: at(92.5).toISOString() }]);
    expect(liveEntries(s)).toEqual(["u/2:hash2", "u/1:hash1"]);
    expect(nextChange(s, policy)).toBe(at(92.5).getTime());

    // The grace period ends: the old password is no longer accepted.
    s = await rotate(s, at(92.5), policy, has, issue);
    expect(liveEntries(s)).toEqual(["u/2:hash2"]);
    expect(nextChange(s, policy)).toBe(at(142.5).getTime());
  });

  it("keeps at most a few replaced passwords, whatever the grace period", async () => {
    const long = { ...policy, intervalMs: MIN, graceMs: 1000 * MIN, propagationMs: 0 };
    const has = () => true;
    let s = await rotate(undefined, at(0), long, has, issue);
    for (let m = 1; m <= 10; m++)
      s = await rotate(await rotate(s, at(m), long, has, issue), at(m), long, has, issue);
    expect(s.revision).toBe(11);
    expect(s.retiring).toHaveLength(MAX_RETIRING);
  });

  it("re-issues from scratch when the stored state is unreadable", () => {
    expect(parseRotation(undefined)).toBeUndefined();
    expect(parseRotation("{not json")).toBeUndefined();
    expect(parseRotation(JSON.stringify({ revision: 1 }))).toBeUndefined();
  });
});

describe("a credential's Secret", () => {
  const target = (over: Partial<CredentialTarget> = {}): CredentialTarget => ({
    kind: "ImagePullSecret",
    name: "pull",
    namespace: "app",
    uid: "uid-1",
    registry: { name: "reg", namespace: "infra", host: "reg.infra.svc:5000", ca: "CA PEM" },
    policy,
    registryEntries: new Set(),
    ...over,
  });
  const generate = async (t: CredentialTarget, live?: Record<string, string>, now = at(0)) =>
    (await credentialSecret(t).generate(live, new Map(), now)) as Generation | undefined;

  it("is a dockerconfigjson for the registry's host with hostname, ca.crt and a bcrypt entry the password matches", async () => {
    const secret = credentialSecret(target());
    expect(secret.type).toBe("kubernetes.io/dockerconfigjson");
    expect(secret.metadata.labels).toMatchObject({
      "registry-operator.dev/imagepullsecret": "pull",
      "registry-operator.dev/account-registry": "reg",
      "registry-operator.dev/account-namespace": "infra",
    });
    const first = await generate(target());
    expect(first?.event?.reason).toBe("CredentialsIssued");
    const data = first!.data;
    const auth = JSON.parse(data[".dockerconfigjson"]).auths["reg.infra.svc:5000"];
    expect(auth.username).toBe("pull/app/pull/1");
    expect(Buffer.from(auth.auth, "base64").toString()).toBe(`${auth.username}:${auth.password}`);
    expect(auth.password).toHaveLength(43); // 32 random bytes, base64url
    expect(data.hostname).toBe("reg.infra.svc:5000");
    expect(data["ca.crt"]).toBe("CA PEM");
    const [user, hash] = data.htpasswd.trim().split(":");
    expect(user).toBe(auth.username);
    expect(hash).toMatch(/^\$2[aby]\$05\$/);
    expect(await bcrypt.compare(auth.password, hash)).toBe(true);
    // Unchanged input: nothing to write.
    expect(await generate(target(), data, at(1))).toBeUndefined();
    // A new CA is written, with the same password.
    const moved = await generate(target({ registry: { ...target().registry, ca: "NEW" } }), data);
    expect(moved?.data["ca.crt"]).toBe("NEW");
    expect(moved?.data.password).toBe(data.password);
  });

  it("a push Secret is Opaque with config.json", async () => {
    const t = target({ kind: "ImagePushSecret" });
    expect(credentialSecret(t).type).toBe("Opaque");
    const data = (await generate(t))!.data;
    expect(JSON.parse(data["config.json"]).auths["reg.infra.svc:5000"].username).toBe(
      "push/app/pull/1",
    );
  });
});
