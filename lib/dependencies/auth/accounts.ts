import { API_VERSION } from "../../api/group";
import { ACCOUNT_ROLE, accountUserPrefix, type CredentialKindName } from "../../api/credentials";
import { CREDENTIAL_OWNER_LABELS } from "../../api/labels";
import type { ChildData } from "../dependency";
import { checkHtpasswd, HTPASSWD_KEY, usersOf } from "./htpasswd";

const isCredentialKind = (kind: string): kind is CredentialKindName => kind in ACCOUNT_ROLE;

/**
 * The htpasswd entries an account Secret may add to a registry: only a Secret an ImagePullSecret
 * or ImagePushSecret controls (its controller reference, its owner label and its name agree), and
 * only lines for that credential's own user names. A Secret merely labelled like one, or a line for
 * another account, adds nothing: it could otherwise replace another account's password.
 */
export function accountEntries(secret: ChildData): string[] {
  const owner = secret.ownerReferences.find(o => o.controller);
  if (!owner || owner.apiVersion !== API_VERSION || !isCredentialKind(owner.kind)) return [];
  if (
    owner.name !== secret.name ||
    secret.labels[CREDENTIAL_OWNER_LABELS[owner.kind]] !== owner.name
  )
    return [];
  const prefix = accountUserPrefix(owner.kind, secret.namespace, owner.name);
  return checkHtpasswd(secret.data[HTPASSWD_KEY] ?? "").entries.filter(e => {
    const [user] = usersOf([e]);
    return user.startsWith(prefix) && /^\d+$/.test(user.slice(prefix.length));
  });
}

/** The entries with each user name once: the first wins (managed accounts come first). */
export function uniqueUsers(entries: string[]): string[] {
  const seen = new Set<string>();
  return entries.filter(e => {
    const [user] = usersOf([e]);
    if (seen.has(user)) return false;
    seen.add(user);
    return true;
  });
}
