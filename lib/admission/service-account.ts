import { namesServiceAccount } from "../api/fields/service-accounts";
import type { ImagePullSecret } from "../api/kinds";
import {
  applyPullSecretChange,
  pullSecretChange,
  type ServiceAccountLike,
} from "../render/credentials/service-accounts";

/**
 * A ServiceAccount being created, with the Secret of every ImagePullSecret of its namespace that
 * names it (or "*") and has written its Secret, in its imagePullSecrets.
 */
export function withPullSecrets(sa: ServiceAccountLike, pullSecrets: ImagePullSecret[]): void {
  const name = sa.metadata?.name ?? "";
  for (const c of pullSecrets) {
    if (!c.status?.secretName || !namesServiceAccount(c.spec?.serviceAccounts, name)) continue;
    const change = pullSecretChange(sa, c.metadata!.name!, true);
    if (change) applyPullSecretChange(sa, change);
  }
}
