// A real Redis (Debian's redis-server) with a password, for the registry's blob-descriptor cache in
// the data-plane tests; optionally TLS-only, with a certificate from a test CA. It listens on the
// address the module's pods reach this host at (127.0.0.1 under `pepr dev`): the operator probes
// it too. No persistence: a test's data dies with it.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { connect } from "node:net";
import type { TestCa } from "./test-ca";
import { freePort } from "./ports";
import { reapOnExit } from "./reap";
import { moduleEndpoints } from "../module-endpoints";

export interface RedisServer {
  addr: string;
  port: number;
  password: string;
  /** Every key, by redis-cli --scan. */
  keys(): string[];
  flush(): void;
  stop(): Promise<void>;
}

const listening = (host: string, port: number) =>
  new Promise<boolean>(resolve => {
    const s = connect({ host, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

export interface RedisOptions {
  /** Serve TLS only, with a certificate from this CA. */
  tlsFrom?: TestCa;
  /** Listen here with this password (to start a stopped server again); default a free port, a new password. */
  port?: number;
  password?: string;
}

export async function runRedisServer(opts: RedisOptions = {}): Promise<RedisServer> {
  const port = opts.port ?? (await freePort());
  const password = opts.password ?? randomBytes(12).toString("hex");
  const host = moduleEndpoints().nodeAddress;
  const tls = opts.tlsFrom?.issue([host]);
  const listen = tls
    ? ["--port", "0", "--tls-port", String(port), "--tls-cert-file", tls.certFile]
    : ["--port", String(port)];
  const tlsFlags = tls ? ["--tls-key-file", tls.keyFile, "--tls-auth-clients", "no"] : [];
  const child = spawn(
    "redis-server",
    [
      ...listen,
      ...tlsFlags,
      "--bind",
      host,
      "--save",
      "",
      "--appendonly",
      "no",
      "--maxmemory-policy",
      "allkeys-lru",
      // From the start, so every client must authenticate (and Redis's protected mode, which
      // refuses other addresses than loopback while no password is set, stays out of the way).
      "--requirepass",
      password,
    ],
    { stdio: "ignore" },
  );
  reapOnExit(child);
  const exited = new Promise<void>(r => child.once("exit", () => r()));
  const deadline = Date.now() + 10_000;
  while (!(await listening(host, port))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error("redis-server did not start");
    await new Promise(r => setTimeout(r, 50));
  }
  // The CA file redis-cli verifies the server with is the one the test CA wrote beside the cert.
  const cliTls = tls ? ["--tls", "--cacert", join(dirname(tls.certFile), "ca.crt")] : [];
  const base = ["-h", host, "-p", String(port), ...cliTls];
  const cli = (...args: string[]) =>
    execFileSync("redis-cli", [...base, "--no-auth-warning", "-a", password, ...args], {
      encoding: "utf8",
    });
  return {
    addr: `${host}:${port}`,
    port,
    password,
    keys: () => cli("--scan").split("\n").filter(Boolean),
    flush: () => void cli("flushall"),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
