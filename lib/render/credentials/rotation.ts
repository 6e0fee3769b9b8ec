/** An htpasswd entry (`user:bcrypt`) that keeps working until `expiresAt` (ISO 8601). */
export interface Retiring {
  entry: string;
  expiresAt: string;
}

/**
 * Where an account's passwords stand, kept in its Secret (key `rotation.json`). The password handed
 * out is `current`; a rotation first adds `next` to the registry and hands it out only once the
 * registry has it, so no client is given a password the registry does not take yet; the password
 * it replaces keeps working for the grace period.
 */
export interface RotationState {
  revision: number;
  /** When the current password was handed out. */
  issuedAt: string;
  current: Password;
  /**
   * The password being rolled out: added to the account when, and first seen in the registry's
   * htpasswd Secret when (from then on its pods may take a kubelet sync to see it).
   */
  next?: Password & { addedAt: string; seenAt?: string };
  retiring: Retiring[];
}

export interface Password {
  username: string;
  password: string;
  entry: string;
}

export interface RotationPolicy {
  intervalMs: number;
  graceMs: number;
  /** How long the registry's pods may take to see a changed htpasswd Secret (kubelet sync). */
  propagationMs: number;
}

const at = (iso: string) => Date.parse(iso);
/** Replaced passwords kept working at once, at most. */
export const MAX_RETIRING = 3;
const plus = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

/**
 * By default, how long after the registry's htpasswd Secret first holds a new password it is
 * handed out: the time the kubelet may take to refresh the mounted file in every registry pod (its
 * sync period, one minute by default, and the Secret's watch). The module's setting
 * (credentialPropagationMs, lib/controllers/settings.ts) may change it.
 */
export const PROPAGATION_MS = 90_000;

/**
 * The state after this pass at `now`: retired passwords past their grace dropped; a rotation begun
 * when due (a new password in `next`); `next` handed out once the registry holds its entry
 * (`registryHas`) and it had time to reach the pods. `issue` makes a new password for a revision.
 */
export async function rotate(
  state: RotationState | undefined,
  now: Date,
  policy: RotationPolicy,
  registryHas: (entry: string) => boolean,
  issue: (revision: number) => Promise<Password>,
): Promise<RotationState> {
  if (!state)
    return { revision: 1, issuedAt: now.toISOString(), current: await issue(1), retiring: [] };
  const retiring = state.retiring.filter(r => at(r.expiresAt) > now.getTime());
  const { next, ...rest } = state;
  if (next) {
    // Counted from when the registry's Secret is seen holding it, not from when it was added: a
    // registry slow to reconcile must not shorten the time its pods get to see the file.
    const seenAt = registryHas(next.entry) ? (next.seenAt ?? now.toISOString()) : undefined;
    const landed = seenAt !== undefined && now.getTime() >= at(seenAt) + policy.propagationMs;
    if (!landed) return { ...state, next: { ...next, seenAt }, retiring };
    return {
      revision: state.revision,
      issuedAt: now.toISOString(),
      current: { username: next.username, password: next.password, entry: next.entry },
      // At most a few: a grace period longer than the interval cannot pile up passwords.
      retiring: [
        ...retiring,
        { entry: state.current.entry, expiresAt: plus(now, policy.graceMs) },
      ].slice(-MAX_RETIRING),
    };
  }
  if (now.getTime() < at(state.issuedAt) + policy.intervalMs) return { ...rest, retiring };
  const revision = state.revision + 1;
  return {
    ...rest,
    revision,
    next: { ...(await issue(revision)), addedAt: now.toISOString() },
    retiring,
  };
}

/** The htpasswd entries the registry must accept now: current, next and those in their grace. */
export const liveEntries = (s: RotationState): string[] => [
  s.current.entry,
  ...(s.next ? [s.next.entry] : []),
  ...s.retiring.map(r => r.entry),
];

/** When this state next changes by itself (a rotation, a grace ending), for a recheck. */
export function nextChange(s: RotationState, policy: RotationPolicy): number {
  const handOut = s.next?.seenAt
    ? at(s.next.seenAt) + policy.propagationMs
    : at(s.next?.addedAt ?? s.issuedAt);
  const times = [
    s.next ? handOut : at(s.issuedAt) + policy.intervalMs,
    ...s.retiring.map(r => at(r.expiresAt)),
  ];
  return Math.min(...times);
}

/** The state stored in a Secret, or undefined when it is missing or unreadable (then re-issued). */
export function parseRotation(text: string | undefined): RotationState | undefined {
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as RotationState;
    const ok =
      Number.isInteger(s.revision) &&
      typeof s.issuedAt === "string" &&
      typeof s.current?.entry === "string" &&
      typeof s.current?.password === "string" &&
      Array.isArray(s.retiring);
    return ok ? s : undefined;
  } catch {
    return undefined;
  }
}
