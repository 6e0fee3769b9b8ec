import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { API_VERSION } from "../../api/group";
import { accountUserPrefix } from "../../api/credentials";
import {
  ACCOUNT_LABELS,
  CREDENTIAL_OWNER_LABELS,
  MANAGED_BY,
  type CredentialKind,
} from "../../api/labels";
import type { GeneratedSecret, Generation } from "../../kubernetes/objects";
import { HTPASSWD_KEY } from "../../dependencies/auth/htpasswd";
import { dockerConfig } from "./docker-config";
import {
  liveEntries,
  parseRotation,
  rotate,
  type Password,
  type RotationPolicy,
  type RotationState,
} from "./rotation";

/** Keys of a credential Secret besides its Docker config. */
export const CREDENTIAL_KEYS = {
  hostname: "hostname",
  ca: "ca.crt",
  username: "username",
  password: "password",
  htpasswd: HTPASSWD_KEY,
  rotation: "rotation.json",
} as const;

/** Where each kind's Secret holds the Docker config, and the Secret's type. */
export const SECRET_SHAPE: Record<CredentialKind, { key: string; type: string }> = {
  ImagePullSecret: {
    key: ".dockerconfigjson",
    type: "kubernetes.io/dockerconfigjson",
  },
  ImagePushSecret: { key: "config.json", type: "Opaque" },
};

// The cost htpasswd -B uses. The passwords are 256 random bits, which no work factor could make
// weaker or stronger against guessing; the registry pays the cost on every authenticated request.
const BCRYPT_COST = 5;

/** The object a credential Secret is for. */
export interface CredentialTarget {
  kind: CredentialKind;
  name: string;
  namespace: string;
  uid: string;
  registry: { name: string; namespace: string; host: string; ca?: string };
  policy: RotationPolicy;
  /** The htpasswd entries the registry's own Secret holds now (what it accepts). */
  registryEntries: ReadonlySet<string>;
}

async function newPassword(t: CredentialTarget, revision: number): Promise<Password> {
  const username = `${accountUserPrefix(t.kind, t.namespace, t.name)}${revision}`;
  const password = randomBytes(32).toString("base64url");
  return { username, password, entry: `${username}:${await bcrypt.hash(password, BCRYPT_COST)}` };
}

/** What the Secret holds for `state`: plain values, written base64 by the engine. */
export function credentialData(t: CredentialTarget, state: RotationState): Record<string, string> {
  const { host, ca } = t.registry;
  const { username, password } = state.current;
  return {
    [SECRET_SHAPE[t.kind].key]: dockerConfig(host, username, password),
    [CREDENTIAL_KEYS.hostname]: host,
    ...(ca ? { [CREDENTIAL_KEYS.ca]: ca } : {}),
    [CREDENTIAL_KEYS.username]: username,
    [CREDENTIAL_KEYS.password]: password,
    [CREDENTIAL_KEYS.htpasswd]: liveEntries(state)
      .map(e => `${e}\n`)
      .join(""),
    [CREDENTIAL_KEYS.rotation]: JSON.stringify(state),
  };
}

/** The Event for a change of state (undefined `before`: the first password). */
function eventFor(t: CredentialTarget, before: RotationState | undefined, after: RotationState) {
  const registry = `Registry ${t.registry.namespace}/${t.registry.name}`;
  if (!before)
    return {
      reason: "CredentialsIssued",
      message: `Issued account ${after.current.username} on ${registry}; Secret ${t.name} holds it.`,
    };
  if (!before.next && after.next)
    return {
      reason: "RotationStarted",
      message: `Added password revision ${after.revision} to ${registry}; Secret ${t.name} gets it once the registry accepts it.`,
    };
  if (before.next && !after.next) {
    const until = after.retiring[after.retiring.length - 1]?.expiresAt;
    return {
      reason: "CredentialsRotated",
      message: `Secret ${t.name} now holds password revision ${after.revision}; the previous one works until ${until}.`,
    };
  }
  if (after.retiring.length < before.retiring.length)
    return {
      reason: "PasswordRetired",
      message: `A replaced password's grace period ended: ${registry} no longer accepts it.`,
    };
  return { reason: "SecretUpdated", message: `Secret ${t.name} updated for ${registry}.` };
}

const sameData = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(b).every(([k, v]) => a[k] === v);

/**
 * The Secret of an ImagePullSecret or ImagePushSecret: its Docker config with the current
 * password, `hostname` and `ca.crt` for clients, and the account's htpasswd entries, which the
 * Registry (found by the account labels) gathers into the file it serves. Owned by the credential
 * object: deleting it deletes the Secret, and with it the account.
 */
export function credentialSecret(t: CredentialTarget): GeneratedSecret {
  return {
    metadata: {
      name: t.name,
      namespace: t.namespace,
      labels: {
        [MANAGED_BY.key]: MANAGED_BY.value,
        [CREDENTIAL_OWNER_LABELS[t.kind]]: t.name,
        [ACCOUNT_LABELS.registry]: t.registry.name,
        [ACCOUNT_LABELS.namespace]: t.registry.namespace,
      },
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: t.kind,
          name: t.name,
          uid: t.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    type: SECRET_SHAPE[t.kind].type,
    async generate(live, _earlier, now): Promise<Generation | undefined> {
      const before = parseRotation(live?.[CREDENTIAL_KEYS.rotation]);
      const after = await rotate(
        before,
        now,
        t.policy,
        e => t.registryEntries.has(e),
        revision => newPassword(t, revision),
      );
      const data = credentialData(t, after);
      if (live && sameData(live, data)) return undefined;
      return { data, event: eventFor(t, before, after) };
    },
  };
}
