// A throwaway certificate authority for TLS tests (openssl, EC P-256): a CA and server
// certificates it signs for the names and addresses given.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";

export interface TestCa {
  /** The CA certificate (PEM). */
  cert: string;
  /** Writes a key and a certificate for `names` (DNS names or IPs); returns their paths. */
  issue(names: string[]): { certFile: string; keyFile: string };
  /** Deletes the keys and certificates. */
  remove(): void;
}

const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });

export function testCa(commonName: string): TestCa {
  const dir = mkdtempSync("/var/tmp/registry-operator-ca-");
  const caKey = join(dir, "ca.key");
  const caCert = join(dir, "ca.crt");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl([
    "req",
    "-x509",
    ...ec,
    "-keyout",
    caKey,
    "-out",
    caCert,
    "-days",
    "2",
    "-subj",
    `/CN=${commonName}`,
  ]);
  let serial = 0;
  return {
    cert: readFileSync(caCert, "utf8"),
    issue(names) {
      const base = join(dir, `server-${++serial}`);
      const san = names.map(n => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
      writeFileSync(`${base}.ext`, `subjectAltName=${san}\n`);
      openssl([
        "req",
        ...ec,
        "-keyout",
        `${base}.key`,
        "-out",
        `${base}.csr`,
        "-subj",
        `/CN=${names[0]}`,
      ]);
      openssl([
        "x509",
        "-req",
        "-in",
        `${base}.csr`,
        "-CA",
        caCert,
        "-CAkey",
        caKey,
        "-CAcreateserial",
        "-out",
        `${base}.crt`,
        "-days",
        "2",
        "-extfile",
        `${base}.ext`,
      ]);
      return { certFile: `${base}.crt`, keyFile: `${base}.key` };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
