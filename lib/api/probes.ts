// What the operator learns by asking a server itself: the contract between the probe (lib/kube)
// and the providers that read its answer through their Reader.

export type PingResult =
  | { ok: true }
  | {
      ok: false;
      reason: "Unreachable" | "AuthFailed" | "AuthRequired" | "TLSFailed" | "NotServing";
      detail: string;
    };

/** TLS to Redis: verify the server against `ca` (PEM), or the system roots without one. */
export interface PingTls {
  ca?: string;
}
