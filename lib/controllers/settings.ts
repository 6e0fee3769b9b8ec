// The module's duration settings from its environment (each documented in docs/reliability.md).
import { PROPAGATION_MS } from "../render/credentials/rotation";
import { envSeconds } from "./env-seconds";

/**
 * How often every object of ours is re-checked: REGISTRY_OPERATOR_RESYNC_SECONDS (default 60; at
 * least 10, so a typo cannot turn it into a request storm).
 */
export const resyncMs = (value = process.env.REGISTRY_OPERATOR_RESYNC_SECONDS): number =>
  envSeconds(value, 60, 10);

/**
 * How long a new password sits in the registry's htpasswd before it is handed out:
 * REGISTRY_OPERATOR_CREDENTIAL_PROPAGATION_SECONDS (default 90 — the kubelet's one-minute sync
 * period and the Secret's watch; at least 5). Raise it where kubelets sync less often.
 */
export const credentialPropagationMs = (
  value = process.env.REGISTRY_OPERATOR_CREDENTIAL_PROPAGATION_SECONDS,
): number => envSeconds(value, PROPAGATION_MS / 1000, 5);
