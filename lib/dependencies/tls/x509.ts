import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from "node:crypto";
import { isIP } from "node:net";
import {
  bitString,
  boolean,
  context,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from "./der";

const OID = {
  commonName: "2.5.4.3",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
};

/** A key pair as PEM: the private key in PKCS #8, which Go's crypto/tls and openssl both read. */
export interface KeyPair {
  certificate: string;
  key: string;
}

export interface CertificateRequest {
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  /** A CA (signs certificates) or a server certificate (serverAuth, with SANs). */
  ca: boolean;
  /** Subject alternative names: DNS names and IP addresses. */
  names?: string[];
  /** The signer; absent for a self-signed certificate (a root CA). */
  issuer?: KeyPair;
}

const name = (cn: string) =>
  sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(cn))));
const extension = (oid: string, critical: boolean, value: Buffer) =>
  sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
const keyId = (publicKey: KeyObject) =>
  createHash("sha1")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest();

function altName(n: string): Buffer {
  if (!isIP(n)) return context(2, false, Buffer.from(n, "ascii")); // dNSName
  const bytes = isIP(n) === 4 ? Buffer.from(n.split(".").map(Number)) : ipv6Bytes(n);
  return context(7, false, bytes); // iPAddress
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail = ""] = ip.split("::");
  const parts = (s: string) => (s ? s.split(":") : []);
  const h = parts(head);
  const t = parts(tail);
  const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return Buffer.from(groups.flatMap(g => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/**
 * Issues an X.509 v3 certificate on a new ECDSA P-256 key, signed with ECDSA-SHA256 by `issuer`
 * (or by itself). What is issued is parsed back with node:crypto before it is returned.
 */
export function issue(req: CertificateRequest): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const signerKey = req.issuer ? createPrivateKey(req.issuer.key) : privateKey;
  const issuerCert = req.issuer ? new X509Certificate(req.issuer.certificate) : undefined;
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const usage = req.ca
    ? bitString(Buffer.from([0x86]), 7) // digitalSignature, keyCertSign, cRLSign
    : bitString(Buffer.from([0x80]), 1); // digitalSignature
  const extensions = [
    extension(OID.basicConstraints, true, req.ca ? sequence(boolean(true)) : sequence()),
    extension(OID.keyUsage, true, usage),
    ...(req.ca
      ? []
      : [extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth)))]),
    ...(req.names?.length
      ? [extension(OID.subjectAltName, false, sequence(...req.names.map(altName)))]
      : []),
    extension(OID.subjectKeyIdentifier, false, octetString(keyId(publicKey))),
    extension(
      OID.authorityKeyIdentifier,
      false,
      sequence(context(0, false, keyId(issuerCert ? issuerCert.publicKey : publicKey))),
    ),
  ];
  const tbs = sequence(
    context(0, true, smallInteger(2)), // v3
    unsignedInteger(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])), // positive, 16 bytes
    algorithm,
    name(issuerCert ? commonNameOf(issuerCert) : req.commonName),
    sequence(time(req.notBefore), time(req.notAfter)),
    name(req.commonName),
    publicKey.export({ type: "spki", format: "der" }),
    context(3, true, sequence(...extensions)),
  );
  const signature = sign("sha256", tbs, signerKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const certificate = pem("CERTIFICATE", der);
  new X509Certificate(certificate); // throws if what was built does not parse
  return {
    certificate,
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/**
 * The subject common name of a certificate this module issued (its subject is `CN=<name>`),
 * encoded again as the issuer name: the same bytes, since both are built by `name`.
 */
function commonNameOf(cert: X509Certificate): string {
  return cert.subject.replace(/^CN=/, "");
}

const pem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der
    .toString("base64")
    .match(/.{1,64}/g)!
    .join("\n")}\n-----END ${label}-----\n`;

/** Whether `key` is the private key of `certificate`; a key that does not parse does not match. */
export function keyMatches(certificate: X509Certificate, key: string): boolean {
  try {
    return certificate.checkPrivateKey(createPrivateKey(key));
  } catch {
    return false;
  }
}
