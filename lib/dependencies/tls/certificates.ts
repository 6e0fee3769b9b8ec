import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { issue, keyMatches } from "./x509";

// The operator's own CA and the server certificate it signs: when each is due, and issuing it.
// Pure but for the keys `issue` draws; the time is always passed in.

/** Renew after this share of a certificate's lifetime. */
const RENEW_AFTER = 2 / 3;
/**
 * After a CA renewal, clients get this long to take the new bundle before a server certificate it
 * signed is served: this share of the certificate's lifetime, at most a week.
 */
const NEW_CA_GRACE_SHARE = 1 / 6;
const NEW_CA_GRACE_MAX_MS = 7 * 86_400_000;

/** Secret keys: the pair itself (kubernetes.io/tls), the CA's, and the CA before a renewal. */
export const TLS_KEYS = {
  cert: "tls.crt",
  key: "tls.key",
  ca: "ca.crt",
  previousCa: "previous.crt",
};

export function parseCertificate(pem: string | undefined): X509Certificate | undefined {
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

export const notAfter = (c: X509Certificate) => new Date(c.validTo);
export const notBefore = (c: X509Certificate) => new Date(c.validFrom);

/** When a certificate is renewed: after two thirds of its lifetime. */
export const renewalTime = (c: X509Certificate) =>
  new Date(notBefore(c).getTime() + RENEW_AFTER * (notAfter(c).getTime() - notBefore(c).getTime()));

/** The DNS names and IP addresses a certificate is for (its subjectAltName), in canonical form. */
export function certificateNames(c: X509Certificate): string[] {
  return (c.subjectAltName ?? "")
    .split(/,\s*/)
    .filter(Boolean)
    .map(n => canonicalName(n.replace(/^(DNS|IP Address):/, "")));
}

/**
 * A name as certificates are compared by: DNS names in lower case, IPv6 addresses as eight
 * lower-case groups (a certificate spells `fd00::10` as `FD00:0:0:0:0:0:0:10`).
 */
export function canonicalName(name: string): string {
  if (isIP(name) !== 6) return name.toLowerCase();
  let text = name.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text =
      text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.map(g => parseInt(g, 16).toString(16)).join(":");
}

const sameNames = (a: string[], b: string[]) =>
  a.length === b.length &&
  a.map(canonicalName).sort().join() === b.map(canonicalName).sort().join();

export interface Issued {
  data: Record<string, string>;
  event: { reason: string; message: string };
}

/**
 * The CA's Secret data, when it must be written: none yet, unreadable, or past two thirds of its
 * lifetime. A renewed CA keeps its predecessor (`previous.crt`) while that is valid, so clients
 * that trust the bundle keep trusting certificates it signed.
 */
export function caToWrite(
  live: Record<string, string> | undefined,
  commonName: string,
  lifetimeSeconds: number,
  now: Date,
): Issued | undefined {
  const current = parseCertificate(live?.[TLS_KEYS.cert]);
  const usable = current && live?.[TLS_KEYS.key] && keyMatches(current, live[TLS_KEYS.key]);
  if (usable && now < renewalTime(current)) {
    // Drop a predecessor that has expired.
    const previous = parseCertificate(live[TLS_KEYS.previousCa]);
    if (!previous || now < notAfter(previous)) return undefined;
    const { [TLS_KEYS.previousCa]: _expired, ...rest } = live;
    void _expired;
    return {
      data: rest,
      event: { reason: "CAPruned", message: `Dropped the expired previous CA of ${commonName}.` },
    };
  }
  const pair = issue({
    commonName,
    ca: true,
    notBefore: new Date(now.getTime() - 60_000), // tolerate clocks a minute behind
    notAfter: new Date(now.getTime() + lifetimeSeconds * 1000),
  });
  const keep =
    usable && now < notAfter(current) ? { [TLS_KEYS.previousCa]: live![TLS_KEYS.cert] } : {};
  return {
    data: { [TLS_KEYS.cert]: pair.certificate, [TLS_KEYS.key]: pair.key, ...keep },
    event: usable
      ? {
          reason: "CARenewed",
          message: `Renewed the CA ${commonName} (the previous one stays trusted until it expires, ${notAfter(current).toISOString()}).`,
        }
      : { reason: "CAIssued", message: `Issued the CA ${commonName}.` },
  };
}

/** The CA bundle clients trust: the current CA and, while valid, the one before it. */
export function caBundle(ca: Record<string, string>, now: Date): string {
  const previous = parseCertificate(ca[TLS_KEYS.previousCa]);
  return [
    ca[TLS_KEYS.cert],
    ...(previous && now < notAfter(previous) ? [ca[TLS_KEYS.previousCa]] : []),
  ]
    .map(pem => pem.trim() + "\n")
    .join("");
}

/** Whether the operator's CA, current or previous, signed `cert`. */
export function signedByCa(cert: X509Certificate, ca: Record<string, string>): boolean {
  return [ca[TLS_KEYS.cert], ca[TLS_KEYS.previousCa]]
    .map(parseCertificate)
    .some(s => s !== undefined && cert.checkIssued(s) && cert.verify(s.publicKey));
}

/** Why the server certificate must be (re)issued, or undefined while it is good. */
export function serverCertificateDue(
  live: Record<string, string> | undefined,
  ca: Record<string, string>,
  names: string[],
  now: Date,
): string | undefined {
  const cert = parseCertificate(live?.[TLS_KEYS.cert]);
  if (!cert) return live ? "the stored certificate does not parse" : "none issued yet";
  if (!live?.[TLS_KEYS.key] || !keyMatches(cert, live[TLS_KEYS.key]))
    return "its key does not match";
  if (!signedByCa(cert, ca)) return "it is not signed by the current CA";
  if (!sameNames(certificateNames(cert), names)) return "the names it must cover changed";
  if (now >= serverRenewalTime(cert, ca)) return "two thirds of its lifetime have passed";
  return undefined;
}

/**
 * When the server certificate is renewed: after two thirds of its life — but not before clients
 * had a while to take a freshly renewed CA (see NEW_CA_GRACE_SHARE), while the certificate
 * served stays valid that long.
 */
export function serverRenewalTime(cert: X509Certificate, ca: Record<string, string>): Date {
  const due = renewalTime(cert);
  const current = parseCertificate(ca[TLS_KEYS.cert]);
  if (!current || !ca[TLS_KEYS.previousCa]) return due; // no renewal to wait for
  const life = notAfter(cert).getTime() - notBefore(cert).getTime();
  const published = notBefore(current).getTime() + 60_000; // issued a minute back-dated
  const trusted = published + Math.min(life * NEW_CA_GRACE_SHARE, NEW_CA_GRACE_MAX_MS);
  // Never later than the certificate can wait: a minute before it expires.
  const latest = notAfter(cert).getTime() - 60_000;
  return new Date(Math.max(due.getTime(), Math.min(trusted, latest)));
}

/**
 * A server certificate for `names`, signed by the current CA, valid for `lifetimeSeconds` but
 * never beyond the CA; the Secret also carries the CA bundle as `ca.crt`.
 */
export function issueServerCertificate(
  ca: Record<string, string>,
  commonName: string,
  names: string[],
  lifetimeSeconds: number,
  now: Date,
): Record<string, string> {
  const signer = parseCertificate(ca[TLS_KEYS.cert])!;
  const end = Math.min(now.getTime() + lifetimeSeconds * 1000, notAfter(signer).getTime());
  const pair = issue({
    commonName,
    ca: false,
    names,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(end),
    issuer: { certificate: ca[TLS_KEYS.cert], key: ca[TLS_KEYS.key] },
  });
  return {
    [TLS_KEYS.cert]: pair.certificate,
    [TLS_KEYS.key]: pair.key,
    [TLS_KEYS.ca]: caBundle(ca, now),
  };
}
