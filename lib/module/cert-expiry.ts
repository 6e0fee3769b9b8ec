import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { Log } from "pepr";

const DAY_MS = 86_400_000;
/** How long before expiry the module starts warning. */
export const WARN_DAYS = 30;

/**
 * A warning when the webhook serving certificate expires within WARN_DAYS (or has expired), else
 * undefined. `pepr build` issues it for one year; past that, every write of our kinds is refused
 * (the webhooks fail closed), so the renewal must happen before.
 */
export function certExpiryWarning(pem: string, now = new Date()): string | undefined {
  const notAfter = new Date(new X509Certificate(pem).validTo);
  const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (days > WARN_DAYS) return undefined;
  const when =
    days < 0
      ? `expired on ${notAfter.toISOString()}`
      : `expires in ${days} days (${notAfter.toISOString()})`;
  return `the webhook serving certificate ${when}: after that the API server refuses every write of Registries, RegistryTemplates and Caches. Renew it: run \`npx pepr build\` and apply the new dist/ module YAML (or helm upgrade with the new chart); see README "Webhook certificate"`;
}

/** Checks the module's serving certificate now and daily, logging a warning near expiry. */
export function watchCertExpiry(path = process.env.SSL_CERT_PATH ?? "/etc/certs/tls.crt"): void {
  const check = () => {
    if (!existsSync(path)) return;
    const warning = certExpiryWarning(readFileSync(path, "utf8"));
    if (warning) Log.warn(warning);
  };
  check();
  setInterval(check, DAY_MS).unref();
}
