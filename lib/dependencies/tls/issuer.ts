import { isIP } from "node:net";
import type { KubeObject } from "../../kubernetes/objects";
import type { Tls } from "../../api/tls";
import type { RenderContext } from "../../render/context";
import type { ObserveContext, Reader } from "../dependency";
import { serverNames } from "./names";

/** cert-manager's API, which `spec.tls.issuerRef` uses when the cluster has it. */
export const CERTIFICATE_API = "cert-manager.io/v1";

type IssuerRef = NonNullable<Tls["issuerRef"]>;

/** How the issuer is named in messages: `Issuer team-ca`. */
export const issuerName = (ref: IssuerRef): string => `${ref.kind ?? "Issuer"} ${ref.name}`;

/**
 * The cert-manager Certificate for `spec.tls.issuerRef`: the Service's names and the Ingress host,
 * issued into the Secret the pods mount. The Secret carries the owner's labels (secretTemplate),
 * so the operator's informer sees each issuance and renewal and rolls the pods.
 */
export function certificate(ctx: RenderContext, ref: IssuerRef): KubeObject {
  const names = serverNames(ctx);
  const ips = names.filter(n => isIP(n));
  return {
    apiVersion: CERTIFICATE_API,
    kind: "Certificate",
    metadata: { name: ctx.names.tls, namespace: ctx.namespace, labels: ctx.labels },
    spec: {
      secretName: ctx.names.tls,
      secretTemplate: { labels: ctx.labels },
      dnsNames: names.filter(n => !ips.includes(n)),
      ...(ips.length ? { ipAddresses: ips } : {}),
      issuerRef: {
        name: ref.name,
        kind: ref.kind ?? "Issuer",
        group: ref.group ?? "cert-manager.io",
      },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      usages: ["server auth", "digital signature"],
    },
  };
}

/** The Certificate's `Ready` condition as cert-manager reports it. */
export interface CertificateState {
  found: boolean;
  ready: boolean;
  /** cert-manager's reason and message, for ours. */
  detail: string;
}

type Conditions = { type?: string; status?: string; reason?: string; message?: string }[];

/** Reads the Certificate the operator created and what cert-manager says of it. */
export async function certificateState(
  ctx: ObserveContext,
  read: Reader,
): Promise<CertificateState> {
  const live = await read.object(CERTIFICATE_API, "Certificate", ctx.namespace, ctx.names.tls);
  if (!live) return { found: false, ready: false, detail: "the Certificate does not exist yet" };
  const conditions = (live.status as { conditions?: Conditions } | undefined)?.conditions ?? [];
  const ready = conditions.find(c => c.type === "Ready");
  if (!ready)
    return {
      found: true,
      ready: false,
      detail: "cert-manager has not reported on it yet (is it running?)",
    };
  return {
    found: true,
    ready: ready.status === "True",
    detail: `${ready.reason ?? "Unknown"}: ${ready.message ?? ""}`.trim(),
  };
}
