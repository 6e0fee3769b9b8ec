import { durationSeconds } from "../../api/fields/duration";
import type { GeneratedSecret } from "../../kubernetes/objects";
import { DEFAULT_CA_DURATION, DEFAULT_CERT_DURATION } from "../../api/tls";
import type { RenderContext } from "../../render/context";
import { caToWrite, issueServerCertificate, serverCertificateDue } from "./certificates";
import { serverNames } from "./names";

const seconds = (d: string | undefined, fallback: string) =>
  durationSeconds(d ?? fallback) ?? durationSeconds(fallback)!;

/**
 * With `tls.selfSigned`, the operator's CA and the server certificate it signs, in that order (the
 * certificate is issued from the CA as it is after this pass). Each is rewritten only when due.
 */
export function tlsSecrets(ctx: RenderContext): GeneratedSecret[] {
  const selfSigned = ctx.spec.tls?.selfSigned;
  if (!selfSigned) return [];
  const { names, namespace, labels, owner } = ctx;
  const metadata = (name: string) => ({ name, namespace, labels, ownerReferences: [owner] });
  const caName = `${ctx.name} registry CA (${namespace})`;
  const dnsNames = serverNames(ctx);
  return [
    {
      metadata: metadata(names.tlsCa),
      type: "kubernetes.io/tls",
      generate: (live, _earlier, now) =>
        caToWrite(live, caName, seconds(selfSigned.caDuration, DEFAULT_CA_DURATION), now),
    },
    {
      metadata: metadata(names.tls),
      type: "kubernetes.io/tls",
      generate: (live, earlier, now) => {
        const ca = earlier.get(names.tlsCa);
        if (!ca) return undefined; // the CA could not be written: nothing to sign with yet
        const why = serverCertificateDue(live, ca, dnsNames, now);
        if (!why) return undefined;
        return {
          data: issueServerCertificate(
            ca,
            dnsNames[0],
            dnsNames,
            seconds(selfSigned.certDuration, DEFAULT_CERT_DURATION),
            now,
          ),
          event: {
            reason: live ? "CertificateRenewed" : "CertificateIssued",
            message: live
              ? `Issued a new server certificate in Secret ${names.tls} for ${dnsNames.join(", ")}: ${why}.`
              : `Issued the server certificate in Secret ${names.tls} for ${dnsNames.join(", ")}.`,
          },
        };
      },
    },
  ];
}
