// A real Redis (Debian's redis-server) on 127.0.0.1 with a password, for the registry's
// blob-descriptor cache in the data-plane tests. No persistence: a test's data dies with it.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { freePort } from "./ports";
import { reapOnExit } from "./reap";

export interface RedisServer {
  addr: string;
  password: string;
  /** Every key, by redis-cli --scan. */
  keys(): string[];
  flush(): void;
  stop(): Promise<void>;
}

const listening = (port: number) =>
  new Promise<boolean>(resolve => {
    const s = connect({ host: "127.0.0.1", port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

export async function runRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--maxmemory-policy",
      "allkeys-lru",
    ],
    { stdio: "ignore" },
  );
  reapOnExit(child);
  const exited = new Promise<void>(r => child.once("exit", () => r()));
  const deadline = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error("redis-server did not start");
    await new Promise(r => setTimeout(r, 50));
  }
  const cli = (...args: string[]) =>
    execFileSync("redis-cli", ["-p", String(port), "--no-auth-warning", "-a", password, ...args], {
      encoding: "utf8",
    });
  // Set before any registry connects, so every client must authenticate.
  execFileSync("redis-cli", ["-p", String(port), "config", "set", "requirepass", password]);
  return {
    addr: `127.0.0.1:${port}`,
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
