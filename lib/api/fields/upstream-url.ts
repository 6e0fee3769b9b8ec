import { isIPv4, isIPv6 } from "node:net";
import { z } from "zod";
import { type SchemaRule, schemaRules } from "./schema-rule";

export interface UrlVerdict {
  /** Why the URL is refused; undefined when it is accepted. */
  reason?: string;
  /** Accepted, but worth telling the user. */
  warning?: string;
}

const EXAMPLE = "such as https://registry-1.docker.io";
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const MESSAGE = {
  empty: `must not be empty; give the upstream registry's URL, ${EXAMPLE}`,
  whitespace: "must not contain whitespace",
  noScheme: `must be an absolute URL with a scheme, ${EXAMPLE}`,
  scheme: (s: string) =>
    `scheme ${s}:// is not supported: use https:// (or http:// for an upstream without TLS)`,
  userInfo:
    "must not contain user-info (user:password@): put the credentials in the Secret named by spec.credentialsSecretRef",
  path: "must not have a path: the cache proxies the upstream's root",
  query: "must not have a query (?…)",
  fragment: "must not have a fragment (#…)",
};
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** Why `host` (a DNS name, an IPv4 address or a bracketed IPv6 address) is not valid, if it is not. */
export function checkHost(host: string): string | undefined {
  if (!host) return `must name a host, ${EXAMPLE}`;
  if (host.startsWith("[")) {
    return isIPv6(host.slice(1, -1)) ? undefined : `${host} is not a valid IPv6 address`;
  }
  if (host.includes(":"))
    return "an IPv6 address must be in brackets, e.g. https://[2001:db8::1]:5000";
  if (/^[\d.]+$/.test(host))
    return isIPv4(host) ? undefined : `${host} is not a valid IPv4 address`;
  if (host.length > 253 || !host.split(".").every(l => DNS_LABEL.test(l)))
    return `${host} is not a valid DNS name`;
  return undefined;
}

/**
 * The upstream of a pull-through cache: an absolute http(s) URL naming only a host and an optional
 * port. The registry proxies the upstream's whole /v2/ API, so a path, query or fragment would be
 * silently dropped or misrouted; credentials belong in a Secret, never in the URL.
 */
export function checkUpstreamUrl(url: string): UrlVerdict {
  if (!url) return { reason: MESSAGE.empty };
  if (/\s/.test(url)) return { reason: MESSAGE.whitespace };
  const scheme = SCHEME.exec(url);
  // Not echoed: without a scheme, "user:password@host" would put the password in the message.
  if (!scheme) return { reason: MESSAGE.noScheme };
  const s = scheme[1].toLowerCase();
  if (s !== "https" && s !== "http") return { reason: MESSAGE.scheme(s) };
  const rest = url.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? "" : rest.slice(end);
  if (authority.includes("@")) return { reason: MESSAGE.userInfo };
  const hostPort = /^(\[[^\]]*\]|[^[\]]*?)(?::([^:]*))?$/.exec(authority);
  if (!hostPort || (authority.startsWith("[") && !authority.includes("]")))
    return {
      reason: `${authority} is not a valid host[:port] (an IPv6 address needs a closing ])`,
    };
  const hostError = checkHost(hostPort[1]);
  if (hostError) return { reason: hostError };
  const port = hostPort[2];
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && +port >= 1 && +port <= 65535))
    return { reason: `port ${JSON.stringify(port)} must be a number from 1 to 65535` };
  const path = tail.split(/[?#]/)[0];
  if (path !== "" && path !== "/") return { reason: `${MESSAGE.path} (got ${path})` };
  if (tail.includes("?")) return { reason: MESSAGE.query };
  if (tail.includes("#")) return { reason: MESSAGE.fragment };
  if (s === "http")
    return {
      warning:
        "uses http://: pulls and upstream credentials travel unencrypted; use https:// unless the upstream is on a trusted network",
    };
  return {};
}

// The schema says what its rules can (each with the webhook's message); which hosts and ports are
// valid only the webhook does. A rule holds vacuously when an earlier one already refuses.
const HAS_SCHEME = "self.matches(r'(?i)^[a-z][a-z0-9+.-]*://')";
const AUTHORITY_THEN = (rest: string) => `self.matches(r'^[^/]*//[^/?#]*${rest}')`;
const SCHEMA_RULES: SchemaRule[] = [
  { rule: "self != ''", message: MESSAGE.empty },
  { rule: "!self.matches(r'\\s')", message: MESSAGE.whitespace },
  { rule: `self == '' || ${HAS_SCHEME}`, message: MESSAGE.noScheme },
  {
    rule: `!${HAS_SCHEME} || self.matches(r'(?i)^https?://')`,
    messageExpression: `'${MESSAGE.scheme("' + self.split('://')[0].lowerAscii() + '")}'`,
  },
  { rule: `!${AUTHORITY_THEN("@")}`, message: MESSAGE.userInfo },
  { rule: `!${HAS_SCHEME} || ${AUTHORITY_THEN("/?([?#].*)?$")}`, message: MESSAGE.path },
  { rule: "!self.contains('?')", message: MESSAGE.query },
  { rule: "!self.contains('#')", message: MESSAGE.fragment },
];

export const UpstreamUrl = z
  .string()
  .max(2048)
  .superRefine((url, ctx) => {
    const { reason } = checkUpstreamUrl(url);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  })
  .meta(schemaRules(...SCHEMA_RULES));
