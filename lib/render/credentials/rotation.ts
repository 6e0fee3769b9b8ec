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
  next?: Password & { addedAt: string };
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
const plus = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

/**
 * How long after the registry's htpasswd Secret holds a new password it is handed out: the time
 * the kubelet may take to refresh the mounted file (about a minute), but never more than a quarter
 * of the interval.
 */
export const propagationMs = (intervalMs: number) => Math.min(90_000, intervalMs / 4);

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
    const landed =
      registryHas(next.entry) && now.getTime() >= at(next.addedAt) + policy.propagationMs;
    if (!landed) return { ...state, retiring };
    return {
      revision: state.revision,
      issuedAt: now.toISOString(),
      current: { username: next.username, password: next.password, entry: next.entry },
      retiring: [...retiring, { entry: state.current.entry, expiresAt: plus(now, policy.graceMs) }],
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
  const times = [
    s.next ? at(s.next.addedAt) + policy.propagationMs : at(s.issuedAt) + policy.intervalMs,
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
