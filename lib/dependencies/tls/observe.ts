import type { Dependency, Observe, ObserveContext, Reader } from "../dependency";
import {
  caBundle,
  canonicalName,
  certificateNames,
  notAfter,
  notBefore,
  parseCertificate,
  renewalTime,
  serverRenewalTime,
  signedByCa,
  TLS_KEYS,
} from "./certificates";
import { certificateState, issuerName } from "./issuer";
import { serverNames } from "./names";
import { CERTIFICATE_READY } from "./render";
import { servedSecret } from "./serving";
import { keyMatches } from "./x509";

/**
 * A user's Secret, and a cert-manager Certificate, are not watched: look at them again this often
 * (a renewal reaches the pods so).
 */
const POLL_MS = 30_000;
const DAY_MS = 86_400_000;
/** Warn this long before a certificate expires, whatever its lifetime. */
const WARN_DAYS = 14;
/** Look again at least this often while all is well (a timer cannot wait for years). */
const MAX_WAIT_MS = 6 * 3600_000;

const state = (
  ready: boolean,
  reason: string,
  message: string,
  extra: Partial<Dependency> = {},
): Dependency => ({ type: CERTIFICATE_READY, ready, reason, message, ...extra });

/**
 * `CertificateReady`: the certificate the registry serves, from its Secret (never a key in a
 * message). With `selfSigned`, also the CA bundle for the render half, and when to look again:
 * at the next renewal.
 */
export const observeTls: Observe = async (ctx, read) => {
  const { spec, names } = ctx;
  const tls = spec.tls;
  if (!tls)
    return state(
      false,
      "PlainHTTP",
      "spec.tls is not set (this object predates TLS by default): serving plain HTTP. Set spec.tls.selfSigned: {} (or secretName) to serve HTTPS; clients must then trust the CA in ConfigMap " +
        `${names.caBundle}.`,
      { blocking: false },
    );
  if (tls.disabled)
    return state(false, "TLSDisabled", "spec.tls.disabled: serving plain HTTP.", {
      blocking: false,
    });
  const served = await observeServed(ctx, read);
  if (!tls.issuerRef) return served;
  // cert-manager's Ready is ours; a still-valid earlier certificate keeps the registry serving.
  const issued = await certificateState(ctx, read);
  if (issued.ready) return served;
  const keeps = served.ready;
  return state(
    false,
    issued.found ? "CertificateNotReady" : "Issuing",
    `cert-manager Certificate ${names.tls} (spec.tls.issuerRef: ${issuerName(tls.issuerRef)}) is not Ready: ${issued.detail}` +
      (issued.found
        ? "."
        : " (is cert-manager installed? the Ready condition names what failed).") +
      (keeps
        ? ` Meanwhile the registry serves the certificate in Secret ${servedSecret(ctx)}, valid until ${served.expiresAt}.`
        : served.reason === "Issuing"
          ? " The pods start once it is issued."
          : ` The certificate served now: ${served.message}`),
    {
      found: served.found,
      expiresAt: served.expiresAt,
      // What is served blocks Ready as it would without cert-manager (names not covered do not).
      blocking: !keeps && served.blocking !== false,
      recheckMs: POLL_MS,
    },
  );
};

/** The certificate in the Secret the pods mount, whoever wrote it. */
const observeServed = async (ctx: ObserveContext, read: Reader): Promise<Dependency> => {
  const { spec, namespace, names } = ctx;
  const tls = spec.tls!;
  const secret = servedSecret(ctx);
  const now = new Date();
  // The operator's Secrets are in memory (cert-manager's too, once it has applied their labels);
  // a user's is asked for.
  const live = tls.secretName
    ? await read.data("Secret", namespace, secret)
    : ((await read.childData("Secret", namespace, secret)) ??
      (tls.issuerRef ? await read.data("Secret", namespace, secret) : undefined));
  const ca = tls.selfSigned ? await read.childData("Secret", namespace, names.tlsCa) : undefined;
  const found = ca?.[TLS_KEYS.cert]
    ? { [TLS_KEYS.ca]: caBundle(ca, now) }
    : live?.[TLS_KEYS.ca]
      ? { [TLS_KEYS.ca]: live[TLS_KEYS.ca] }
      : undefined;
  const poll = tls.selfSigned ? {} : { recheckMs: POLL_MS };
  if (!live)
    return tls.secretName
      ? state(
          false,
          "SecretNotFound",
          `Secret ${secret} (spec.tls.secretName) not found; the pods cannot start until it exists.`,
          poll,
        )
      : state(
          false,
          "Issuing",
          tls.issuerRef
            ? `Waiting for cert-manager to issue the certificate into Secret ${secret}.`
            : `Issuing the server certificate into Secret ${secret}.`,
          { ...poll, found },
        );
  const cert = parseCertificate(live[TLS_KEYS.cert]);
  const field = tls.secretName
    ? "spec.tls.secretName"
    : tls.issuerRef
      ? "written by cert-manager"
      : "the operator's";
  if (!cert)
    return state(
      false,
      "InvalidCertificate",
      `Secret ${secret} (${field}): ${TLS_KEYS.cert} is missing or not a PEM certificate.`,
      { ...poll, found },
    );
  const until = notAfter(cert).toISOString();
  // Whatever is wrong with it, the served certificate's expiry goes to the metrics.
  const expiresAt = { expiresAt: until };
  if (!live[TLS_KEYS.key] || !keyMatches(cert, live[TLS_KEYS.key]))
    return state(
      false,
      "KeyMismatch",
      `Secret ${secret} (${field}): ${TLS_KEYS.key} is missing or is not the key of ${TLS_KEYS.cert}.`,
      { ...poll, found, ...expiresAt },
    );
  if (now >= notAfter(cert) || now < notBefore(cert))
    return state(
      false,
      "CertificateExpired",
      `Secret ${secret} (${field}): the certificate is valid only from ${notBefore(cert).toISOString()} to ${until}; clients refuse it.`,
      { ...poll, found, ...expiresAt },
    );
  if (tls.selfSigned && ca && !signedByCa(cert, ca))
    return state(
      false,
      "NotIssuedByOperator",
      `Secret ${secret} holds a certificate the operator's CA did not sign (made by someone else?); clients trusting ConfigMap ${names.caBundle} refuse it. Delete the Secret to have it issued.`,
      { found, ...expiresAt },
    );
  // The operator issues its own for exactly these names; anyone else's is checked.
  const covered = certificateNames(cert);
  const missing = serverNames(ctx).filter(n => !covers(covered, canonicalName(n)));
  const ingressHost = spec.ingress?.host;
  if (!tls.selfSigned && ingressHost && !covers(covered, canonicalName(ingressHost)))
    return state(
      false,
      "NamesNotCovered",
      `Secret ${secret} (${field}): the certificate does not cover the Ingress host ${ingressHost}; clients reaching it refuse it.`,
      { ...poll, found, ...expiresAt, blocking: false },
    );
  if (!tls.selfSigned && missing.length === serverNames(ctx).length)
    return state(
      false,
      "NamesNotCovered",
      `Secret ${secret} (${field}): the certificate covers none of ${missing.join(", ")}; clients reaching the Service refuse it (one reached under another name is fine).`,
      { ...poll, found, ...expiresAt, blocking: false },
    );
  const daysLeft = Math.floor((notAfter(cert).getTime() - now.getTime()) / DAY_MS);
  const renewsAt = tls.selfSigned && ca ? serverRenewalTime(cert, ca) : renewalTime(cert);
  // A user's certificate past two thirds of its life, or the operator's not renewed by then.
  if (now >= renewsAt || (tls.secretName && daysLeft < WARN_DAYS))
    return state(
      true,
      "ExpiresSoon",
      `The certificate in Secret ${secret} expires at ${until} (in ${daysLeft} days); ` +
        (tls.secretName
          ? "replace it (a renewed certificate reaches the pods within a minute)."
          : tls.issuerRef
            ? `cert-manager has not renewed it: see Certificate ${names.tls} and its Events.`
            : "the operator has not renewed it: see its Events and logs."),
      { ...poll, found, ...expiresAt, ...(tls.selfSigned ? { recheckMs: 60_000 } : {}) },
    );
  const renew = tls.selfSigned
    ? Math.min(renewsAt.getTime(), ...(ca ? caRenewal(ca) : []))
    : undefined;
  const wait = renew !== undefined ? Math.max(1000, renew - now.getTime()) : undefined;
  return state(
    true,
    tls.selfSigned ? "SelfSigned" : tls.issuerRef ? "IssuedByCertManager" : "UserProvided",
    `Serving a certificate for ${certificateNames(cert).join(", ")}, valid until ${until}` +
      (tls.selfSigned
        ? `; renews at ${renewsAt.toISOString()}. Clients trust the CA in ConfigMap ${names.caBundle} (key ca.crt).`
        : tls.issuerRef
          ? `; cert-manager (${issuerName(tls.issuerRef)}) renews it.`
          : "."),
    { found, ...expiresAt, recheckMs: wait === undefined ? POLL_MS : Math.min(wait, MAX_WAIT_MS) },
  );
};

const caRenewal = (ca: Record<string, string>): number[] => {
  const c = parseCertificate(ca[TLS_KEYS.cert]);
  return c ? [renewalTime(c).getTime()] : [];
};

/** Whether a certificate name (possibly a `*.` wildcard) covers a host name. */
function covers(names: string[], host: string): boolean {
  return names.some(
    n => n === host || (n.startsWith("*.") && host.split(".").slice(1).join(".") === n.slice(2)),
  );
}
