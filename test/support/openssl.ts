import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * openssl's verdict on `cert` as a TLS server certificate trusting only `bundle` (and, when
 * given, for `host`): a line ending in `: OK`, or what openssl objected to.
 */
export function opensslVerify(bundle: string, cert: string, host?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "openssl-verify-"));
  try {
    writeFileSync(join(dir, "ca.pem"), bundle);
    writeFileSync(join(dir, "cert.pem"), cert);
    const args = ["verify", "-purpose", "sslserver", ...(host ? ["-verify_hostname", host] : [])];
    return execFileSync(
      "openssl",
      [...args, "-CAfile", join(dir, "ca.pem"), join(dir, "cert.pem")],
      {
        encoding: "utf8",
        stdio: "pipe",
      },
    ).trim();
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
