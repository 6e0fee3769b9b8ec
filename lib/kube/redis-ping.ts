import { isIP, connect, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import type { PingResult, PingTls } from "../api/probes";

const command = (...args: string[]) =>
  `*${args.length}\r\n` + args.map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("");

// Errors that say nothing about TLS: the server is not there at all.
const NETWORK = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * Asks a Redis server at `addr` whether the registry's password works: AUTH (when there is a
 * password) then PING, in the Redis protocol, over TLS when `tls` is given (verifying the server
 * as the registry does). The password is sent to Redis only, never logged or returned; a
 * refusal's text comes from Redis ("WRONGPASS ...").
 */
export function pingRedis(
  addr: string,
  password: string | undefined,
  tls?: PingTls,
  timeoutMs = 2000,
): Promise<PingResult> {
  const at = addr.lastIndexOf(":");
  const host = addr.slice(0, at).replace(/^\[(.*)\]$/, "$1");
  const port = Number(addr.slice(at + 1));
  return new Promise(resolve => {
    const replies: string[] = [];
    const want = password ? 2 : 1;
    let buffer = "";
    let settled = false;
    const done = (r: PingResult) => {
      if (settled) return;
      settled = true;
      sock.destroy();
      resolve(r);
    };
    const send = () => sock.write((password ? command("AUTH", password) : "") + command("PING"));
    const sock: Socket = tls
      ? connectTls(
          {
            host,
            port,
            timeout: timeoutMs,
            ...(tls.ca ? { ca: tls.ca } : {}),
            // SNI takes names only; an IP address is still checked against the certificate.
            ...(isIP(host) ? {} : { servername: host }),
          },
          send,
        )
      : connect({ host, port, timeout: timeoutMs }, send);
    sock.setEncoding("utf8");
    sock.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\r\n")) >= 0 && replies.length < want) {
        replies.push(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 2);
      }
      if (replies.length < want) return;
      const refused = replies.findIndex(r => r.startsWith("-"));
      if (refused < 0) return done({ ok: true });
      const detail = replies[refused].slice(1);
      // The AUTH reply (the first, when a password is sent) refuses the password; PING refused
      // for want of one is NOAUTH; any other error is Redis not serving (LOADING, BUSY, ...).
      done({
        ok: false,
        reason:
          password && refused === 0
            ? "AuthFailed"
            : /^NOAUTH/.test(detail)
              ? "AuthRequired"
              : "NotServing",
        detail,
      });
    });
    sock.once("timeout", () =>
      done({ ok: false, reason: "Unreachable", detail: `no answer within ${timeoutMs} ms` }),
    );
    sock.once("error", (err: NodeJS.ErrnoException) =>
      done({
        ok: false,
        reason: tls && !NETWORK.has(err.code ?? "") ? "TLSFailed" : "Unreachable",
        detail: err.message,
      }),
    );
    sock.once("close", () => {
      // Redis refusing a client at once (max clients, protected mode) says why, then closes.
      const said = replies.find(r => r.startsWith("-")) ?? (buffer.startsWith("-") ? buffer : "");
      if (said) return done({ ok: false, reason: "NotServing", detail: said.slice(1).trim() });
      // A TLS-only port drops a plain-text client without a word.
      done({
        ok: false,
        reason: "Unreachable",
        detail: tls
          ? "the connection closed before Redis answered"
          : "the connection closed before Redis answered (a TLS-only port? set spec.redis.external.tls)",
      });
    });
  });
}
