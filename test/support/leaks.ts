/**
 * Finds values of the operator's Secrets (passwords, keys, tokens, htpasswd hashes) in places a
 * secret must never appear: the module's log, Events, ConfigMaps, status, annotations, and the
 * other objects it writes. Sink texts are kept as tokens, so a run-long watch stays small; a value
 * counts as leaked when it, or its base64 form, appears as a whole token. Reports name where a
 * value was found, never the value.
 */

// Keys holding what is public by design: certificates, names, the registry config (no secrets in
// it by construction), the node agent's program.
const PUBLIC_KEY = /(\.crt|^hostname|^username|^config\.yml|^agent\.sh|^bucket|^region|^endpoint)$/;
// An htpasswd line: the user name is public, the hash after it is not.
const HTPASSWD_LINE = /^[^:\s]+:(\$2[aby]?\$.+)$/;
// In JSON values (Docker configs, rotation state), the leaves that hold secrets.
const SECRET_LEAF = /^(password|auth|entry|secret|token|.*key)$/i;
const MIN = 12;

/**
 * Splits text where no password, base64 (padding aside), hash or key line can continue. JSON's
 * escapes (`\n` between the lines of a key in a serialized object or a JSON log line) split too.
 */
export const tokens = (text: string): string[] =>
  text
    .replace(/\\[nrtbf"\\/]/g, " ")
    .split(/[^A-Za-z0-9+/_.$-]+/)
    .filter(t => t.length >= MIN);

function jsonLeaves(v: unknown, key = "", out: string[] = []): string[] {
  if (typeof v === "string" && SECRET_LEAF.test(key)) out.push(v);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) jsonLeaves(x, Array.isArray(v) ? key : k, out);
  return out;
}

/** The secret strings one value holds. */
function secretsIn(value: string): string[] {
  const lines = value.split("\n").filter(Boolean);
  if (lines.length && lines.every(l => HTPASSWD_LINE.test(l)))
    return lines.map(l => HTPASSWD_LINE.exec(l)![1]);
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === "object")
      return jsonLeaves(parsed).flatMap(leaf => {
        if (HTPASSWD_LINE.test(leaf)) return secretsIn(leaf);
        // A Docker config's `auth` is base64 of user:password.
        const decoded = Buffer.from(leaf, "base64").toString("utf8");
        return /^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded)
          ? [leaf, decoded.slice(decoded.indexOf(":") + 1)]
          : [leaf];
      });
  } catch {
    // not JSON
  }
  return [value];
}

/** What to look for: each secret string, and its base64 form, as whole tokens. */
export function needles(data: Record<string, string> = {}): { key: string; needle: string }[] {
  return Object.entries(data)
    .filter(([key]) => !PUBLIC_KEY.test(key))
    .flatMap(([key, b64]) =>
      secretsIn(Buffer.from(b64, "base64").toString("utf8")).flatMap(s => {
        const forms = [...tokens(s), ...tokens(Buffer.from(s).toString("base64"))];
        // PEM headers and similar words are not secret; the lines between them are.
        return [...new Set(forms)]
          .filter(t => !/^[A-Z]+$/.test(t))
          .map(needle => ({ key, needle }));
      }),
    )
    .filter((n, i, all) => all.findIndex(m => m.key === n.key && m.needle === n.needle) === i);
}

export interface Leak {
  secret: string;
  key: string;
  sink: string;
}

export class LeakIndex {
  private readonly secrets = new Map<string, { secret: string; key: string }>();
  private readonly sinks = new Map<string, string>();
  secretCount = 0;
  sinkCount = 0;

  /** A Secret of the operator's (`namespace/name`) and its data, as read from the API. */
  addSecret(where: string, data?: Record<string, string>): void {
    this.secretCount++;
    for (const { key, needle } of needles(data))
      if (!this.secrets.has(needle)) this.secrets.set(needle, { secret: where, key });
  }

  /** Text from a sink: `where` says which (e.g. "Event ns/name", "status of Registry ns/x"). */
  addSink(where: string, text: string): void {
    this.sinkCount++;
    for (const t of tokens(text)) if (!this.sinks.has(t)) this.sinks.set(t, where);
  }

  leaks(): Leak[] {
    return this.leaksIn(this);
  }

  /** This index's secrets found among the sinks of `other` (the module log, read at the end). */
  leaksIn(other: LeakIndex): Leak[] {
    const found: Leak[] = [];
    for (const [needle, s] of this.secrets) {
      const sink = other.sinks.get(needle) ?? other.sinks.get(needle.replace(/=+$/, ""));
      if (sink) found.push({ ...s, sink });
    }
    return found;
  }
}
