import {
  ACCOUNT_ROLE,
  CredentialSpec,
  DEFAULT_GRACE_PERIOD,
  DEFAULT_ROTATION_INTERVAL,
} from "../api/credentials";
import { durationSeconds } from "../api/fields/duration";
import { GVK, type ImagePullSecret } from "../api/kinds";
import { ACCOUNT_LABELS, CREDENTIAL_OWNER_LABELS, type CredentialKind } from "../api/labels";
import type { DesiredCondition } from "../api/status";
import type { RegistrySpec } from "../api/registry-spec";
import { API_VERSION } from "../api/group";
import { allowedDescription, namespaceLetIn } from "../dependencies/auth/allowed";
import { checkHtpasswd, HTPASSWD_KEY } from "../dependencies/auth/htpasswd";
import { TLS_KEYS } from "../dependencies/tls/certificates";
import { registryHost } from "../render/credentials/docker-config";
import {
  CREDENTIAL_KEYS,
  credentialSecret,
  type CredentialTarget,
} from "../render/credentials/secret";
import { nextChange, parseRotation, type RotationState } from "../render/credentials/rotation";
import { credentialPropagationMs } from "./settings";
import { registryUrl } from "../render/ingress";
import { childNames } from "../render/names";
import { cachedChildren } from "../engine/child-cache";
import { knownChild } from "../engine/apply";
import { enqueueRegistry } from "./registry";
import { controller, type Plan } from "../engine/pipeline";
import { findRegistry } from "../kube/registry-lookup";
import { reader } from "./reader";
import { injectPullSecret, withdrawPullSecret } from "./service-accounts";

type Credential = ImagePullSecret;
type Observation =
  | { problem: { reason: string; message: string } }
  | {
      problem?: undefined;
      target: CredentialTarget;
      /** The Registry the Secret held an account on before `registryRef` changed. */
      movedFrom?: { namespace: string; name: string };
      /**
       * ServiceAccounts holding the Secret after this pass, once injection has run; null once
       * `serviceAccounts` is gone and what the operator added is out.
       */
      holding?: string[] | null;
    };

const ms = (duration: string) => (durationSeconds(duration) ?? 0) * 1000;
/** While something outside this object is awaited (the Registry, its htpasswd file). */
const WAIT_MS = 5_000;
const PROBLEM_RECHECK_MS = 30_000;
/** Timers stay short: a long one would outlive a change of spec it does not see. */
const MAX_RECHECK_MS = 3600_000;

/**
 * Credentials without an account yet, by the Registry they wait for (`namespace/name`): that
 * Registry's next event requeues them, as they have no Secret by which it could find them.
 */
const waiting = new Map<string, Map<string, () => void>>();

function waitFor(registryKey: string, kind: CredentialKind, namespace: string, name: string) {
  const list = waiting.get(registryKey) ?? new Map<string, () => void>();
  list.set(`${kind}/${namespace}/${name}`, () => enqueueCredential(kind, namespace, name));
  waiting.set(registryKey, list);
}

async function observe(
  kind: CredentialKind,
  c: Credential,
  spec: CredentialSpec,
): Promise<Observation> {
  const { name, namespace, uid } = c.metadata as Record<"name" | "namespace" | "uid", string>;
  const ref = { name: spec.registryRef.name, namespace: spec.registryRef.namespace ?? namespace };
  const registry = await findRegistry(ref.namespace, ref.name, "reconcile");
  const where = `Registry ${ref.namespace}/${ref.name}`;
  const problem = (reason: string, message: string): Observation => {
    waitFor(`${ref.namespace}/${ref.name}`, kind, namespace, name);
    return { problem: { reason, message } };
  };
  if (!registry) return problem("RegistryNotFound", `${where} (spec.registryRef) does not exist.`);
  const regSpec: RegistrySpec = registry.spec ?? {};
  if (!(await namespaceLetIn(regSpec.auth, ref.namespace, namespace, reader.namespaceLabels)))
    return problem(
      "NamespaceNotAllowed",
      `${where} does not let credentials in namespace ${namespace} hold accounts: it allows ${allowedDescription(regSpec.auth, ref.namespace)}.`,
    );
  const names = childNames(ref.name);
  const url = registry.status?.url ?? registryUrl(regSpec, names.service, ref.namespace);
  const ca = (await reader.childData("ConfigMap", ref.namespace, names.caBundle))?.[TLS_KEYS.ca];
  const served = await reader.childData("Secret", ref.namespace, names.htpasswd);
  const before = (await knownChild("v1", "Secret", namespace, name))?.metadata.labels ?? {};
  const was = {
    name: before[ACCOUNT_LABELS.registry],
    namespace: before[ACCOUNT_LABELS.namespace],
  };
  const moved = was.name && (was.name !== ref.name || was.namespace !== ref.namespace);
  const intervalMs = ms(spec.rotationInterval ?? DEFAULT_ROTATION_INTERVAL);
  return {
    ...(moved ? { movedFrom: was } : {}),
    target: {
      kind,
      name,
      namespace,
      uid,
      registry: { ...ref, host: registryHost(url), ca },
      policy: {
        intervalMs,
        // The default grace (1h) is cut to a shorter interval: never more than one interval.
        graceMs: Math.min(ms(spec.gracePeriod ?? DEFAULT_GRACE_PERIOD), intervalMs),
        propagationMs: credentialPropagationMs(),
      },
      registryEntries: new Set(checkHtpasswd(served?.[HTPASSWD_KEY] ?? "").entries),
    },
  };
}

/**
 * When to look again: at the next change of the rotation once the registry holds what it must;
 * while it does not, soon at first (it is reconciling), then less often (it may be Removed).
 */
function recheckAfter(state: RotationState, accepted: boolean, dueIn: number): number {
  const waitingSince = !accepted
    ? state.issuedAt
    : state.next && !state.next.seenAt && state.next.addedAt;
  if (waitingSince)
    return Date.now() - Date.parse(waitingSince) < 120_000 ? WAIT_MS : PROBLEM_RECHECK_MS;
  return Math.min(Math.max(dueIn, 1000), MAX_RECHECK_MS);
}

/** Ready, the status fields and when to look again, from the Secret as this pass left it. */
async function report(kind: CredentialKind, c: Credential, o: Observation, failures: string[]) {
  const ready = (status: "True" | "False", reason: string, message: string): DesiredCondition => ({
    type: "Ready",
    status,
    reason,
    message,
  });
  if (o.problem)
    return {
      conditions: [ready("False", o.problem.reason, o.problem.message)],
      // Without a usable Registry there is no account to describe: no stale host or rotation time.
      fields: { registry: null, username: null, lastRotationTime: null, nextRotationTime: null },
      recheckMs: PROBLEM_RECHECK_MS,
    };
  const { target } = o;
  // Its Secret no longer names that Registry: the Registry drops the account now, not at a resync.
  if (o.movedFrom) enqueueRegistry(o.movedFrom.namespace, o.movedFrom.name);
  if (failures.length)
    return {
      conditions: [ready("False", "SecretNotWritten", `Could not write ${failures.join("; ")}`)],
      fields: {},
    };
  const live = await reader.childData("Secret", target.namespace, target.name);
  const state = parseRotation(live?.[CREDENTIAL_KEYS.rotation]);
  if (!state)
    return {
      conditions: [ready("False", "Pending", `Secret ${target.name} is not written yet.`)],
      fields: {},
      recheckMs: WAIT_MS,
    };
  const registry = `Registry ${target.registry.namespace}/${target.registry.name}`;
  const accepted = target.registryEntries.has(state.current.entry);
  const nextRotation = new Date(Date.parse(state.issuedAt) + target.policy.intervalMs);
  const role = ACCOUNT_ROLE[kind];
  const condition = accepted
    ? ready(
        "True",
        "CredentialsReady",
        `Secret ${target.name} holds the ${role} credentials of ${state.current.username} for ${target.registry.host}; the password is replaced at ${nextRotation.toISOString()}.`,
      )
    : ready(
        "False",
        "WaitingForRegistry",
        `${registry} has not taken account ${state.current.username} yet (its htpasswd Secret ${childNames(target.registry.name).htpasswd} does not hold it).`,
      );
  const dueIn = nextChange(state, target.policy) - Date.now();
  return {
    conditions: [condition],
    fields: {
      ...(o.holding !== undefined ? { serviceAccounts: o.holding } : {}),
      secretName: target.name,
      registry: target.registry.host,
      username: state.current.username,
      lastRotationTime: state.issuedAt,
      nextRotationTime: nextRotation.toISOString(),
    },
    recheckMs: recheckAfter(state, accepted, dueIn),
  };
}

/** An ImagePullSecret or ImagePushSecret: one account on a Registry and one Secret, rotated. */
function credentialPlan(kind: CredentialKind): Plan<Credential, CredentialSpec, Observation> {
  return {
    gvk: GVK[kind],
    owner: { label: CREDENTIAL_OWNER_LABELS[kind] },
    resolve: c => CredentialSpec.safeParse(c.spec).data,
    // The Secret is generated, never applied: nothing else is rendered to prune.
    retained: name => [`Secret/${name}`],
    observe: (c, spec) => observe(kind, c, spec),
    render: (c, o) => ({
      objects: [],
      generated: o.problem ? [] : [credentialSecret(o.target)],
      retired: [],
      ownerReference: {
        apiVersion: API_VERSION,
        kind,
        name: c.metadata!.name!,
        uid: c.metadata!.uid!,
      },
      liveInputs: [],
    }),
    report: (c, o, failures) => report(kind, c, o, failures),
    ...(kind === "ImagePullSecret"
      ? {
          async afterApply(c, o) {
            if (o.problem) return [];
            const names = CredentialSpec.parse(c.spec).serviceAccounts;
            const done = await injectPullSecret(c, names);
            if (done) o.holding = names?.length ? done.holding : null;
            return done?.failures ?? [];
          },
          forget: (namespace, name) => withdrawPullSecret(namespace, name),
        }
      : {}),
  };
}

export const pullSecrets = controller(credentialPlan("ImagePullSecret"));
export const pushSecrets = controller(credentialPlan("ImagePushSecret"));
const BY_KIND = { ImagePullSecret: pullSecrets, ImagePushSecret: pushSecrets } as const;

/** Requeues a credential named by its kind. */
export const enqueueCredential = (kind: CredentialKind, namespace: string, name: string) =>
  BY_KIND[kind].enqueue(namespace, name);

/**
 * Requeues every credential holding an account on a Registry (found by their Secrets' account
 * labels, from memory) or waiting for it: the registry's address, CA or allowed namespaces may
 * have changed, or it appeared.
 */
export function enqueueCredentialsOf(namespace: string, name: string): void {
  const key = `${namespace}/${name}`;
  const waiters = waiting.get(key);
  waiting.delete(key);
  waiters?.forEach(requeue => requeue());
  const secrets = cachedChildren("v1", "Secret", undefined, {
    [ACCOUNT_LABELS.registry]: name,
    [ACCOUNT_LABELS.namespace]: namespace,
  });
  for (const s of secrets ?? [])
    for (const kind of Object.keys(BY_KIND) as CredentialKind[]) {
      const owner = s.metadata.labels?.[CREDENTIAL_OWNER_LABELS[kind]];
      if (owner && s.metadata.namespace) enqueueCredential(kind, s.metadata.namespace, owner);
    }
}
