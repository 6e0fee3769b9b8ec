import { spawn, spawnSync } from "node:child_process";
import { parse as parseToml } from "smol-toml";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveRegistry } from "../../../lib/admission/resolve";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import { renderContext } from "../../../lib/render/context";
import { agentConfigMap } from "../../../lib/dependencies/node-trust/render";
import type { NodeTrustInput } from "../../../lib/dependencies/node-trust/files";
import {
  caBundle,
  caToWrite,
  issueServerCertificate,
  TLS_KEYS,
} from "../../../lib/dependencies/tls/certificates";

// The agent's program as rendered into its ConfigMap, run by the shells it meets: busybox (the
// default image) and dash, against a temporary directory standing in for the node's root.
const SHELLS = [
  ["busybox", "sh"],
  ["dash", ""],
] as const;

const HOST = "reg.ns.svc:5000";
const STATE_DIR = "/var/lib/registry-operator/node-trust";
const CERTS = `/etc/containerd/certs.d/${HOST}`;
const FIXED = { service: { clusterIP: "10.96.0.50" } };

const spec = (s: object) => resolveRegistry({ incoming: { spec: s } }).spec as RegistrySpec;
const ctx = (s: object, name = "reg") => renderContext(name, "ns", "uid", spec(s));

describe.each(SHELLS)("the node agent under %s", (shell, arg) => {
  let work: string;
  let root: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "node-agent-"));
    root = path.join(work, "root");
    fs.mkdirSync(path.join(root, "etc"), { recursive: true });
    fs.writeFileSync(path.join(root, "etc/hosts"), "127.0.0.1 localhost\n");
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  /** Writes a ConfigMap's data where a pod would mount it; returns that directory. */
  const mount = (data: Record<string, string>, dir = "config"): string => {
    const at = path.join(work, dir);
    fs.rmSync(at, { recursive: true, force: true });
    fs.mkdirSync(at);
    for (const [k, v] of Object.entries(data)) fs.writeFileSync(path.join(at, k), v);
    return at;
  };
  const config = (s: object, input: NodeTrustInput, name = "reg") =>
    agentConfigMap(ctx(s, name), input).data;
  const env = (configDir: string, extra: Record<string, string> = {}) => ({
    ...process.env,
    ROOT: root,
    CONFIG: configDir,
    READY: path.join(work, "ready"),
    ...extra,
  });
  const argv = (configDir: string, verb: string) =>
    [...(arg ? [arg] : []), path.join(configDir, "agent.sh"), verb] as string[];
  const agent = (
    configDir: string,
    verb: "sync" | "cleanup",
    extra: Record<string, string> = {},
  ) => {
    const r = spawnSync(shell, argv(configDir, verb), {
      env: env(configDir, extra),
      encoding: "utf8",
    });
    return { status: r.status, out: r.stdout + r.stderr };
  };
  /** Runs `sync` of several agents at the same moment; resolves with their exit codes. */
  const together = (dirs: string[]) =>
    Promise.all(
      dirs.map(
        d =>
          new Promise<number | null>(done =>
            spawn(shell, argv(d, "sync"), { env: env(d), stdio: "ignore" }).on("exit", done),
          ),
      ),
    );
  const read = (p: string) => fs.readFileSync(path.join(root, p), "utf8");
  const exists = (p: string) => fs.existsSync(path.join(root, p));
  /** Every file under the root, relative, sorted; the agents' shared lock and directory list aside. */
  const tree = (): string[] =>
    (fs.readdirSync(root, { recursive: true }) as string[])
      .filter(p => fs.statSync(path.join(root, p)).isFile())
      .filter(p => !/^var\/lib\/registry-operator\/node-trust\/\.(lock|dirs)$/.test(p))
      .sort();

  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 100 && !ok(); i++) await new Promise(r => setTimeout(r, 50));
    expect(ok()).toBe(true);
  };
  /** The agent as its pod runs it (`run`), passing every second, as the pod `id`. */
  const runAgent = (dir: string, id: string) =>
    spawn(shell, argv(dir, "run"), {
      env: env(dir, { AGENT: id, INTERVAL: "1" }),
      stdio: "ignore",
    });
  const stop = (p: ReturnType<typeof spawn>) =>
    new Promise<number | null>(r => {
      p.on("exit", code => r(code));
      p.kill("SIGTERM");
    });

  it("writes the CA and hosts.toml, and does nothing more when nothing changed", () => {
    const dir = mount(config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA-1\n" }));
    const first = agent(dir, "sync");
    expect(first).toMatchObject({ status: 0 });
    expect(read(`${CERTS}/ca.crt`)).toBe("CA-1\n");
    expect(read(`${CERTS}/hosts.toml`)).toContain('[host."https://10.96.0.50:5000"]');
    expect(first.out).toMatch(/wrote .*ca\.crt/);
    const again = agent(dir, "sync");
    expect(again).toEqual({ status: 0, out: "" });
  });

  it("replaces a changed file in one rename: a reader never sees part of one", () => {
    // Large files make a partial write visible; the real bundle is small, the write the same.
    const big = (c: string) => `${c.repeat(64)}\n`.repeat(8 * 1024);
    const [a, b] = [
      mount(config(FIXED_TRUST, { ca: big("A") }), "a"),
      mount(config(FIXED_TRUST, { ca: big("B") }), "b"),
    ];
    const target = path.join(root, CERTS, "ca.crt");
    const seen = (writer: string) => {
      const done = path.join(work, "done");
      fs.rmSync(done, { force: true });
      const child = spawn("sh", ["-c", `${writer}; touch ${done}`], { stdio: "ignore" });
      const contents = new Set<string>();
      // The child runs on its own while this loop reads (synchronously) until it is done.
      while (!fs.existsSync(done)) {
        try {
          contents.add(fs.readFileSync(target, "utf8"));
        } catch {
          contents.add("(missing)");
        }
      }
      child.kill();
      return [...contents].map(c => (c === big("A") ? "A" : c === big("B") ? "B" : "partial"));
    };
    expect(agent(a, "sync").status).toBe(0);
    const run = (d: string) =>
      `CONFIG=${d} ROOT=${root} ${shell} ${arg} ${path.join(d, "agent.sh")} sync >/dev/null`;
    const loop = `for i in 1 2 3 4 5 6 7 8 9 10 11 12; do ${run(b)}; ${run(a)}; done`;
    expect(new Set(seen(loop))).toEqual(new Set(["A", "B"]));
    // The same reader catches a writer that overwrites in place: the check above can fail.
    const naive = `for i in 1 2 3 4 5 6 7 8 9 10 11 12; do cat ${b}/f1 > ${target}; cat ${a}/f1 > ${target}; done`;
    expect(seen(naive)).toContain("partial");
  });

  it("removes only its own files on cleanup, puts back what was there, leaves the rest", () => {
    const theirs = {
      [`${CERTS}/client.cert`]: "someone else's\n",
      "/etc/containerd/certs.d/other.example:443/hosts.toml": 'server = "https://other"\n',
      "/etc/containerd/config.toml": "version = 2\n",
    };
    for (const [p, c] of Object.entries(theirs)) {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      fs.writeFileSync(path.join(root, p), c);
    }
    // A hosts.toml was there before the agent: set aside, put back when it goes.
    fs.writeFileSync(path.join(root, CERTS, "hosts.toml"), "# the admin's\n");
    fs.appendFileSync(
      path.join(root, "etc/hosts"),
      "10.0.0.9 db # registry-operator:registry.ns.other\n",
    );
    const before = tree();
    const hostsBefore = read("/etc/hosts");
    const dir = mount(
      config(
        { nodeTrust: { enabled: true, hostsFile: true } },
        { ca: "CA\n", clusterIP: "10.96.0.7" },
      ),
    );
    expect(agent(dir, "sync").status).toBe(0);
    expect(read(`${CERTS}/hosts.toml`)).toContain("Written by registry-operator");
    expect(read("/etc/hosts")).toBe(
      hostsBefore +
        "10.96.0.7 reg.ns.svc reg.ns.svc.cluster.local # registry-operator:registry.ns.reg\n",
    );
    const cleaned = agent(dir, "cleanup");
    expect(cleaned.status).toBe(0);
    expect(tree()).toEqual(before);
    for (const [p, c] of Object.entries(theirs)) expect(read(p)).toBe(c);
    expect(read(`${CERTS}/hosts.toml`)).toBe("# the admin's\n");
    expect(read("/etc/hosts")).toBe(hostsBefore);
  });

  it("removes the directories it made, and a file it no longer wants", () => {
    const dir = mount(
      config({ ...FIXED, nodeTrust: { enabled: true, runtime: "both" } }, { ca: "CA\n" }),
    );
    expect(agent(dir, "sync").status).toBe(0);
    expect(exists(`/etc/docker/certs.d/${HOST}/ca.crt`)).toBe(true);
    const containerdOnly = mount(
      config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA\n" }),
    );
    expect(agent(containerdOnly, "sync").status).toBe(0);
    // The directories it made for Docker go with the file, not only at cleanup.
    expect(exists("/etc/docker")).toBe(false);
    expect(agent(containerdOnly, "cleanup").status).toBe(0);
    expect(fs.readdirSync(path.join(root, "etc"))).toEqual(["hosts"]);
  });

  const hostsOf = (name: string, ip: string) =>
    mount(config({ nodeTrust: { enabled: true, hostsFile: true } }, { clusterIP: ip }, name), name);

  it("changes only its own /etc/hosts lines, even beside an owner whose name extends its own", () => {
    const [one, two] = [hostsOf("hf", "10.0.0.1"), hostsOf("hf2", "10.0.0.2")];
    expect(agent(one, "sync").status).toBe(0);
    expect(agent(two, "sync").status).toBe(0);
    expect(agent(one, "sync")).toEqual({ status: 0, out: "" });
    expect(agent(one, "cleanup").status).toBe(0);
    expect(read("/etc/hosts")).toBe(
      "127.0.0.1 localhost\n10.0.0.2 hf2.ns.svc hf2.ns.svc.cluster.local # registry-operator:registry.ns.hf2\n",
    );
  });

  it("takes turns with the other agents of the node: no /etc/hosts line is lost", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `10.9.${i >> 8}.${i & 255} host-${i}\n`);
    const original = "127.0.0.1 localhost\n" + lines.join("");
    const dirs = ["a", "b", "c"].map((n, i) => hostsOf(n, `10.0.0.${i + 1}`));
    for (let round = 0; round < 15; round++) {
      fs.writeFileSync(path.join(root, "etc/hosts"), original);
      expect(await together(dirs)).toEqual([0, 0, 0]);
      const now = read("/etc/hosts");
      expect(now.startsWith(original)).toBe(true);
      for (const n of ["a", "b", "c"])
        expect(now).toContain(`# registry-operator:registry.ns.${n}\n`);
      for (const d of dirs) expect(agent(d, "cleanup").status).toBe(0);
      expect(read("/etc/hosts")).toBe(original);
    }
  });

  it("leaves a missing or linked /etc/hosts alone, and says so", () => {
    const dir = hostsOf("hf", "10.0.0.1");
    fs.rmSync(path.join(root, "etc/hosts"));
    const missing = agent(dir, "sync");
    expect(missing.status).toBe(1);
    expect(missing.out).toContain("/etc/hosts is missing or a link: not changed");
    expect(exists("/etc/hosts")).toBe(false);
    fs.writeFileSync(path.join(work, "real-hosts"), "127.0.0.1 localhost\n");
    fs.symlinkSync(path.join(work, "real-hosts"), path.join(root, "etc/hosts"));
    expect(agent(dir, "sync").status).toBe(1);
    expect(fs.lstatSync(path.join(root, "etc/hosts")).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(work, "real-hosts"), "utf8")).toBe("127.0.0.1 localhost\n");
  });

  const mirrorPath = "/etc/containerd/certs.d/docker.io/hosts.toml";
  /** A Cache of Docker Hub mirroring docker.io on a node whose docker.io hosts.toml is `before`. */
  const hubOver = (before: string) => {
    fs.mkdirSync(path.dirname(path.join(root, mirrorPath)), { recursive: true });
    fs.writeFileSync(path.join(root, mirrorPath), before);
    return mount(
      config(
        { ...FIXED, nodeTrust: { enabled: true } },
        { ca: "CA\n", mirror: { upstream: "https://registry-1.docker.io", names: ["docker.io"] } },
        "hub",
      ),
    );
  };

  it("keeps a mirror hosts.toml that was there as the fallback after the Cache, and puts it back", () => {
    const before = [
      'server = "https://registry-1.docker.io"',
      "",
      '[host."https://mirror.internal:5000"]',
      '  capabilities = ["pull", "resolve"]',
      "",
    ].join("\n");
    const dir = hubOver(before);
    expect(agent(dir, "sync").status).toBe(0);
    const merged = parseToml(read(mirrorPath)) as { server: string; host: Record<string, object> };
    expect(merged.server).toBe("https://registry-1.docker.io");
    // containerd tries the hosts in order: the Cache first, then the mirror that was there.
    expect(Object.keys(merged.host)).toEqual([
      "https://10.96.0.50:5000",
      "https://mirror.internal:5000",
    ]);
    expect(agent(dir, "sync")).toEqual({ status: 0, out: "" });
    expect(agent(dir, "cleanup").status).toBe(0);
    expect(read(mirrorPath)).toBe(before);
  });

  it("hands its files to the older agent when a rollout is undone, instead of removing them", async () => {
    const dir = mount(config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA\n" }));
    const older = runAgent(dir, "pod-1");
    await until(() => exists(`${CERTS}/ca.crt`));
    const newer = runAgent(dir, "pod-2");
    await until(() => read(`${STATE_DIR}/registry.ns.reg/agent`) === "pod-2");
    // The older one stands by (and says so) while the newer one keeps the files.
    await until(() => exists(`${STATE_DIR}/registry.ns.reg/standby.pod-1`));
    // The new pod deleted first: the files stay, and the older agent carries on.
    expect(await stop(newer)).toBe(0);
    expect(exists(`${CERTS}/ca.crt`)).toBe(true);
    expect(read(`${STATE_DIR}/registry.ns.reg/agent`)).toBe("pod-1");
    await until(() => fs.existsSync(path.join(work, "ready")));
    expect(await stop(older)).toBe(0);
    expect(exists(`${CERTS}/ca.crt`)).toBe(false);
  });

  it("takes the files back when the agent that had them cleaned up and left", async () => {
    const dir = mount(config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA\n" }));
    const older = runAgent(dir, "pod-1");
    await until(() => exists(`${CERTS}/ca.crt`));
    // Another agent of the owner took the record over, then cleaned up (the way a sync + cleanup
    // by hand does) before this one ever stood by.
    fs.writeFileSync(path.join(root, STATE_DIR, "registry.ns.reg/agent"), "gone");
    expect(agent(dir, "cleanup").status).toBe(0);
    expect(exists(`${CERTS}/ca.crt`)).toBe(false);
    await until(() => exists(`${CERTS}/ca.crt`));
    expect(read(`${STATE_DIR}/registry.ns.reg/agent`)).toBe("pod-1");
    expect(await stop(older)).toBe(0);
  });

  it("waits for the agent that holds the node's lock, and not for one that died holding it", async () => {
    const dir = mount(config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA\n" }));
    fs.mkdirSync(path.join(root, STATE_DIR), { recursive: true });
    // -o: flock alone holds the lock, not the sleep it runs, so killing flock frees it at once.
    const holder = spawn("flock", ["-o", path.join(root, STATE_DIR, ".lock"), "sleep", "30"], {
      stdio: "ignore",
    });
    await new Promise(r => setTimeout(r, 300));
    const waiting = spawn(shell, argv(dir, "sync"), { env: env(dir), stdio: "ignore" });
    const exited = new Promise<number | null>(r => waiting.on("exit", r));
    await new Promise(r => setTimeout(r, 1000));
    expect(exists(`${CERTS}/ca.crt`)).toBe(false);
    // Killed outright: the kernel releases its lock.
    holder.kill("SIGKILL");
    expect(await exited).toBe(0);
    expect(read(`${CERTS}/ca.crt`)).toBe("CA\n");
  });

  it("applies one version of a ConfigMap volume, and changes nothing when it cannot read one", () => {
    // kubelet's layout: a timestamped directory, ..data naming it, each key a link through ..data.
    const configmap = (data: Record<string, string>, version: string) => {
      const at = path.join(work, "volume");
      fs.mkdirSync(path.join(at, version), { recursive: true });
      for (const [k, v] of Object.entries(data)) {
        fs.writeFileSync(path.join(at, version, k), v);
        if (!fs.existsSync(path.join(at, k)))
          fs.symlinkSync(path.join("..data", k), path.join(at, k));
      }
      fs.rmSync(path.join(at, "..data"), { force: true });
      fs.symlinkSync(version, path.join(at, "..data"));
      return at;
    };
    const data = config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA-1\n" });
    const volume = configmap(data, "..2026_12_01_v1");
    expect(agent(volume, "sync").status).toBe(0);
    expect(read(`${CERTS}/ca.crt`)).toBe("CA-1\n");
    // The version ..data names is gone (deleted by kubelet in the middle of a swap), under an
    // agent already running (its program and owner read at start).
    const program = path.join(work, "running-agent.sh");
    fs.copyFileSync(path.join(volume, "agent.sh"), program);
    fs.rmSync(path.join(volume, "..2026_12_01_v1"), { recursive: true });
    fs.mkdirSync(path.join(volume, "..2026_12_01_v1"));
    fs.writeFileSync(path.join(volume, "..2026_12_01_v1", "owner"), data.owner);
    const missing = spawnSync(shell, [...(arg ? [arg] : []), program, "sync"], {
      env: env(volume),
      encoding: "utf8",
    });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain("nothing changed this pass");
    expect(read(`${CERTS}/ca.crt`)).toBe("CA-1\n");
  });

  it("leaves /etc/hosts untouched, mode and all, when it has no lines there", () => {
    const file = path.join(root, "etc/hosts");
    fs.writeFileSync(file, "127.0.0.1 localhost\n10.0.0.1 foo");
    fs.chmodSync(file, 0o600);
    const inode = fs.statSync(file).ino;
    const dir = mount(config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA\n" }));
    expect(agent(dir, "sync").status).toBe(0);
    expect(agent(dir, "cleanup").status).toBe(0);
    expect(fs.statSync(file).ino).toBe(inode);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).toBe("127.0.0.1 localhost\n10.0.0.1 foo");
  });

  it("refuses an owner that is not one directory name", () => {
    const dir = mount({
      ...config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA\n" }),
      owner: "",
    });
    fs.mkdirSync(path.join(root, STATE_DIR, "registry.ns.other"), { recursive: true });
    const r = agent(dir, "cleanup");
    expect(r.status).toBe(2);
    expect(r.out).toContain("invalid owner");
    expect(exists(`${STATE_DIR}/registry.ns.other`)).toBe(true);
  });

  it("does not merge a hosts.toml it cannot read line by line: its own stands alone, the original comes back", () => {
    const before = [
      'server = "https://registry-1.docker.io"',
      "client = [",
      '  ["/etc/certs/c.cert", "/etc/certs/c.key"],',
      "]",
      "",
    ].join("\n");
    const dir = hubOver(before);
    expect(agent(dir, "sync").status).toBe(0);
    const written = parseToml(read(mirrorPath)) as { host: Record<string, object> };
    expect(Object.keys(written.host)).toEqual(["https://10.96.0.50:5000"]);
    expect(agent(dir, "cleanup").status).toBe(0);
    expect(read(mirrorPath)).toBe(before);
  });

  it("cleans up for an owner whose agent went without doing so", () => {
    const gone = mount(
      config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA\n" }, "gone"),
      "gone",
    );
    expect(agent(gone, "sync").status).toBe(0);
    expect(exists("/etc/containerd/certs.d/gone.ns.svc:5000/ca.crt")).toBe(true);
    const other = hostsOf("other", "10.0.0.9");
    // Seen a moment ago: kept.
    expect(agent(other, "sync", { STALE: "60" }).status).toBe(0);
    expect(exists("/etc/containerd/certs.d/gone.ns.svc:5000/ca.crt")).toBe(true);
    // Its last pass, in seconds since boot: long ago.
    fs.writeFileSync(path.join(root, STATE_DIR, "registry.ns.gone/seen"), "1\n");
    const reaped = agent(other, "sync", { STALE: "60" });
    expect(reaped.status).toBe(0);
    expect(reaped.out).toMatch(
      /the agent of registry\.ns\.gone has not passed for \d+ s: cleaning up for it/,
    );
    expect(exists("/etc/containerd/certs.d/gone.ns.svc:5000")).toBe(false);
    expect(exists(`${STATE_DIR}/registry.ns.gone`)).toBe(false);
  });

  it("removes what a crash in the middle of a write left", () => {
    const dir = mount(config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA\n" }));
    expect(agent(dir, "sync").status).toBe(0);
    fs.writeFileSync(
      path.join(root, CERTS, ".ca.crt.registry.ns.reg.registry-operator-tmp"),
      "CA-half",
    );
    fs.writeFileSync(path.join(root, "etc/.hosts.registry.ns.reg.registry-operator-tmp"), "half");
    expect(agent(dir, "cleanup").status).toBe(0);
    expect(fs.readdirSync(path.join(root, "etc"))).toEqual(["hosts"]);
  });

  it("leaves alone a file another registry's agent wrote, and says so", () => {
    // Two Caches mirroring docker.io: the first one's hosts.toml stays.
    const cache = (name: string) =>
      config(
        { ...FIXED, nodeTrust: { enabled: true } },
        { ca: "CA\n", mirror: { upstream: "https://registry-1.docker.io", names: ["docker.io"] } },
        name,
      );
    expect(agent(mount(cache("one"), "one"), "sync").status).toBe(0);
    const mine = read("/etc/containerd/certs.d/docker.io/hosts.toml");
    const second = agent(mount(cache("two"), "two"), "sync");
    expect(second.status).toBe(1);
    expect(second.out).toMatch(
      /conflict: \/etc\/containerd\/certs\.d\/docker\.io\/hosts\.toml is written by registry\.ns\.one/,
    );
    expect(read("/etc/containerd/certs.d/docker.io/hosts.toml")).toBe(mine);
  });

  it("cleans up when its pod is stopped, unless a newer agent took over", async () => {
    const dir = mount(config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: "CA\n" }));
    const start = (id: string) => runAgent(dir, id);
    const old = start("pod-1");
    await until(() => fs.existsSync(path.join(work, "ready")));
    expect(read(`${CERTS}/ca.crt`)).toBe("CA\n");
    // A rolling update: the new pod starts first, then the old one is stopped.
    const next = start("pod-2");
    await until(
      () => read("/var/lib/registry-operator/node-trust/registry.ns.reg/agent") === "pod-2",
    );
    expect(await stop(old)).toBe(0);
    expect(read(`${CERTS}/ca.crt`)).toBe("CA\n");
    // The owner gone: the last agent removes everything it wrote.
    expect(await stop(next)).toBe(0);
    expect(exists(`${CERTS}/ca.crt`)).toBe(false);
    expect(exists(`${CERTS}/hosts.toml`)).toBe(false);
  });

  it("keeps the node trusting the served certificate through a CA rotation", () => {
    const day = 86_400_000;
    const t0 = new Date("2026-01-01T00:00:00Z");
    const names = ["reg.ns.svc", "10.96.0.50"];
    const life = 30 * 86_400;
    const ca1 = caToWrite(undefined, "reg CA", life, t0)!.data;
    const cert1 = issueServerCertificate(ca1, "reg", names, life, t0)[TLS_KEYS.cert];
    // The node holds exactly what the bundle says at `now`.
    const nodeTrusts = (ca: Record<string, string>, now: Date) => {
      expect(
        agent(
          mount(config({ ...FIXED, nodeTrust: { enabled: true } }, { ca: caBundle(ca, now) })),
          "sync",
        ).status,
      ).toBe(0);
      const pems =
        read(`${CERTS}/ca.crt`).match(
          /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g,
        ) ?? [];
      const cas = pems.map(p => new X509Certificate(p));
      return (cert: string) => {
        const c = new X509Certificate(cert);
        return cas.some(a => c.checkIssued(a) && c.verify(a.publicKey));
      };
    };
    expect(nodeTrusts(ca1, t0)(cert1)).toBe(true);
    // Past two thirds of its life the CA is renewed; the server keeps cert1 for a while.
    const t1 = new Date(t0.getTime() + 21 * day);
    const ca2 = caToWrite(ca1, "reg CA", life, t1)!.data;
    const cert2 = issueServerCertificate(ca2, "reg", names, life, t1)[TLS_KEYS.cert];
    const during = nodeTrusts(ca2, t1);
    expect([during(cert1), during(cert2)]).toEqual([true, true]);
    // Only once the old CA has expired does it leave the nodes.
    const t2 = new Date(t0.getTime() + 31 * day);
    const after = nodeTrusts(ca2, t2);
    expect([after(cert1), after(cert2)]).toEqual([false, true]);
  });
});

const FIXED_TRUST = { ...FIXED, nodeTrust: { enabled: true } };

it("the shells the agent is tested with are installed (scripts/tools/install.sh)", () => {
  for (const [shell] of SHELLS) expect(spawnSync("which", [shell]).status).toBe(0);
});
