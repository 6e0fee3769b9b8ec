import type { kind } from "pepr";
import type { Contribution } from "../../render/contribution";
import type { RenderContext } from "../../render/context";
import { TLS_KEYS } from "./certificates";
import { certificate } from "./issuer";
import { tlsSecrets } from "./secrets";
import { servedSecret, servesTls } from "./serving";

/** Where the registry container reads its certificate and key. */
export const TLS_DIR = "/etc/registry-tls";

/** The condition type of the certificate the registry serves. */
export const CERTIFICATE_READY = "CertificateReady";

/**
 * The render half of TLS: `http.tls` in the config, the pair mounted from its Secret, the
 * operator's CA and server certificate (with `selfSigned`) or the cert-manager Certificate that
 * fills that Secret (with `issuerRef`), and the CA bundle published
 * for clients in the ConfigMap `<name>-ca` (key `ca.crt`) once it is known (`found`, from the
 * observe half).
 */
export function tlsContribution(ctx: RenderContext, found?: Record<string, string>): Contribution {
  // The operator's CA outlives `disabled: true`: what trusts it still does when TLS is back on.
  const generated = tlsSecrets(ctx);
  if (!servesTls(ctx.spec)) return { generated };
  const { names, namespace, labels } = ctx;
  const bundle = found?.[TLS_KEYS.ca];
  return {
    config: {
      http: {
        tls: { certificate: `${TLS_DIR}/${TLS_KEYS.cert}`, key: `${TLS_DIR}/${TLS_KEYS.key}` },
      },
    },
    volumes: [
      {
        name: "tls",
        secret: {
          secretName: servedSecret(ctx),
          items: [TLS_KEYS.cert, TLS_KEYS.key].map(key => ({ key, path: key })),
          defaultMode: 0o440,
        },
      },
    ],
    mounts: [{ name: "tls", mountPath: TLS_DIR, readOnly: true }],
    generated,
    objects: [
      ...(ctx.spec.tls?.issuerRef ? [certificate(ctx, ctx.spec.tls.issuerRef)] : []),
      ...(bundle
        ? [
            {
              apiVersion: "v1",
              kind: "ConfigMap",
              metadata: { name: names.caBundle, namespace, labels },
              data: { [TLS_KEYS.ca]: bundle },
            } satisfies kind.ConfigMap,
          ]
        : []),
    ],
  };
}
