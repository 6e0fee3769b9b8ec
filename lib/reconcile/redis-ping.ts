import { connect } from "node:net";

export type PingResult =
  | { ok: true }
  | { ok: false; reason: "Unreachable" | "AuthFailed" | "AuthRequired"; detail: string };

const command = (...args: string[]) =>
  `*${args.length}\r\n` + args.map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("");

/**
 * Asks a Redis server at `addr` whether the registry's password works: AUTH (when there is a
 * password) then PING, in the Redis protocol. The password is sent to Redis only, never logged or
 * returned; a refusal's text comes from Redis ("WRONGPASS ...").
 */
export function pingRedis(
  addr: string,
  password: string | undefined,
  timeoutMs = 2000,
): Promise<PingResult> {
  const at = addr.lastIndexOf(":");
  const host = addr.slice(0, at).replace(/^\[(.*)\]$/, "$1");
  const port = Number(addr.slice(at + 1));
  return new Promise(resolve => {
    const replies: string[] = [];
    const want = password ? 2 : 1;
    let buffer = "";
    const done = (r: PingResult) => {
      sock.destroy();
      resolve(r);
    };
    const sock = connect({ host, port, timeout: timeoutMs }, () => {
      sock.write((password ? command("AUTH", password) : "") + command("PING"));
    });
    sock.setEncoding("utf8");
    sock.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\r\n")) >= 0 && replies.length < want) {
        replies.push(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 2);
      }
      if (replies.length < want) return;
      const refused = replies.find(r => r.startsWith("-"));
      if (!refused) return done({ ok: true });
      const detail = refused.slice(1);
      done({ ok: false, reason: /^NOAUTH/.test(detail) ? "AuthRequired" : "AuthFailed", detail });
    });
    sock.once("timeout", () =>
      done({ ok: false, reason: "Unreachable", detail: `no answer within ${timeoutMs} ms` }),
    );
    sock.once("error", err => done({ ok: false, reason: "Unreachable", detail: err.message }));
  });
}
