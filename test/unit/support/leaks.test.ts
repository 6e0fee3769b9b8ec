import { LeakIndex, needles } from "../../support/leaks";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const password = "q8Zr3vN1xK0pLw7sT2yB9uE4hG6jM5cA";
const dockerConfig = JSON.stringify({
  auths: { "reg.ns.svc:5000": { username: "pull-1", password, auth: b64(`pull-1:${password}`) } },
});
const key = `-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7pUqLsJkp9\nZ3uXQeRDT0mM4sV1bNcYwKfHgP2aLtE8ehRANCAAR\n-----END PRIVATE KEY-----\n`;

describe("the secret-leak index", () => {
  const secret = {
    ".dockerconfigjson": b64(dockerConfig),
    "tls.key": b64(key),
    "ca.crt": b64(key),
  };

  it("takes the secret leaves of a Docker config and the lines of a key, not public keys", () => {
    const found = needles(secret);
    expect(found.filter(n => n.needle === password)).toEqual([
      { key: ".dockerconfigjson", needle: password },
    ]);
    expect(found.some(n => n.key === "tls.key" && n.needle.startsWith("MIGHAgEA"))).toBe(true);
    expect(found.some(n => n.key === "ca.crt")).toBe(false);
    expect(found.some(n => /^(pull-1|PRIVATE)$/.test(n.needle))).toBe(false);
  });

  it.each([
    ["a password in an Event", `Rotated: new password ${password} handed out`],
    ["its base64 in a ConfigMap", `data: {"x": "${b64(password)}"}`],
    [
      "a key line in an annotation",
      `{"note":"ZZZ MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7pUqLsJkp9"}`,
    ],
    ["the password after user: in a log", `login pull-1:${password} accepted`],
  ])("finds %s, naming the Secret and the sink but not the value", (_, text) => {
    const index = new LeakIndex();
    index.addSink("sink A", "nothing to see here, 2026-12-01T21:00:00Z");
    index.addSecret("ns/reg-pull", secret);
    index.addSink("sink B", text);
    const leaks = index.leaks();
    expect(leaks.length).toBeGreaterThan(0);
    expect(leaks[0]).toMatchObject({ secret: "ns/reg-pull", sink: "sink B" });
    expect(JSON.stringify(leaks)).not.toContain(password);
  });

  it("takes the hash of an htpasswd line, not the user name", () => {
    const hash = "$2y$05$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234";
    const line = `pruner-nightly-account:${hash}`;
    const rotation = JSON.stringify({
      current: { username: "pruner-nightly-account", entry: line },
    });
    const cases: Record<string, string>[] = [
      { htpasswd: b64(`${line}\n${line}\n`) },
      { "rotation.json": b64(rotation) },
    ];
    for (const data of cases)
      expect(needles(data).map(n => n.needle)).toEqual([hash, b64(hash).replace(/=+$/, "")]);
  });

  it("finds a key inside a serialized object or a JSON log line", () => {
    for (const sink of [
      JSON.stringify({ kind: "Event", message: `issued\n${key}` }),
      JSON.stringify({ level: 30, msg: key }),
    ]) {
      const index = new LeakIndex();
      index.addSecret("ns/reg-tls", { "tls.key": b64(key) });
      index.addSink("sink", sink);
      expect(index.leaks().map(l => l.key)).toContain("tls.key");
    }
  });

  it("does not flag the public parts", () => {
    const index = new LeakIndex();
    index.addSecret("ns/reg-pull", secret);
    const cert =
      "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBnJl\n-----END CERTIFICATE-----\n";
    index.addSink(
      "status",
      `{"url":"https://reg.ns.svc:5000","user":"pull-1","ca":"${b64(cert)}"}`,
    );
    expect(index.leaks()).toEqual([]);
  });
});
