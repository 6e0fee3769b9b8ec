import type { KubeObject } from "../kubernetes/objects";
import type { GeneratedSecret, OwnerReference } from "../kubernetes/objects";
import { client } from "./kinds";
import { describeError, unlessMissing } from "../kube/errors";
import { childData, knownChild } from "./apply";
import { rememberChild } from "./child-cache";
import { controllerOf } from "./controller-conflict";

type GenerationEvent = { reason: string; message: string };

/**
 * Writes each generated Secret that is due, in order (a Secret may be generated from one before
 * it: a certificate from its CA). One that cannot be written does not stop the others.
 * @returns one Event for the pass (a new Registry's Secrets are one Event, not one each) and the
 * Secrets that could not be written
 */
export async function writeGeneratedSecrets(
  secrets: GeneratedSecret[],
): Promise<{ event?: GenerationEvent; failures: string[] }> {
  const earlier = new Map<string, Record<string, string>>();
  const events: GenerationEvent[] = [];
  const failures: string[] = [];
  for (const secret of secrets) {
    try {
      const event = await ensureGeneratedSecret(secret, earlier);
      if (event) events.push(event);
    } catch (err) {
      failures.push(`Secret/${secret.metadata.name}: ${describeError(err)}`);
    }
  }
  return { event: oneEvent(events), failures };
}

/** Several Events as one, each reason kept in the message. */
export function oneEvent(events: GenerationEvent[]): GenerationEvent | undefined {
  if (events.length <= 1) return events[0];
  return {
    reason: "SecretsGenerated",
    message: events.map(e => `${e.reason}: ${e.message}`).join(" "),
  };
}

/**
 * Writes a generated Secret when its `generate` says so: created when missing (a random value, a
 * new CA), replaced when due (a certificate to renew); a live one it keeps is left exactly as it
 * is. Records what the Secret holds after this pass in `earlier`, for the Secrets after it.
 * @returns the Event to record, when one was written
 */
export async function ensureGeneratedSecret(
  secret: GeneratedSecret,
  earlier: Map<string, Record<string, string>>,
  now = new Date(),
): Promise<GenerationEvent | undefined> {
  const { name, namespace } = secret.metadata;
  const owner = secret.metadata.ownerReferences[0];
  const known = await knownChild("v1", "Secret", namespace, name);
  const held = known && controllerOf(known);
  if (held && owner && held.uid !== owner.uid)
    throw new Error(
      `Secret ${name} is the operator's for ${held.kind} ${held.name}; it is left alone: choose another name`,
    );
  const live = await childData("Secret", namespace, name);
  const next = await secret.generate(live, earlier, now);
  if (!next) {
    if (live) earlier.set(name, live);
    return undefined;
  }
  const body: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: secret.metadata,
    type: secret.type ?? "Opaque",
    data: Object.fromEntries(
      Object.entries(next.data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
    ),
  };
  try {
    // Create, not apply, when there is none: if one exists after all (not yet seen here), it is
    // kept as it is, and read on the next pass.
    rememberChild(
      live
        ? await client("v1", "Secret").Apply(body, { force: true })
        : await client("v1", "Secret").Create(body),
    );
  } catch (err) {
    // Not in the informer (no operator label) but there: someone else's Secret of that name.
    if (!live && (err as { status?: number }).status === 409)
      throw new Error(
        `Secret ${name} exists and was not made by the operator; it is left alone, and the operator cannot write its own there: rename or delete it`,
      );
    throw err;
  }
  earlier.set(name, next.data);
  return next.event;
}

/**
 * Deletes a generated Secret that is no longer wanted (the managed Redis password once `redis`
 * is gone). Only one this owner holds: a user's Secret of the same name is left alone.
 */
export async function removeGeneratedSecret(
  name: string,
  namespace: string,
  owner: OwnerReference,
): Promise<boolean> {
  const live = (await knownChild("v1", "Secret", namespace, name)) as
    | { metadata?: { ownerReferences?: { uid?: string }[] } }
    | undefined;
  if (!live?.metadata?.ownerReferences?.some(o => o.uid === owner.uid)) return false;
  await unlessMissing(client("v1", "Secret").InNamespace(namespace).Delete(name));
  return true;
}
