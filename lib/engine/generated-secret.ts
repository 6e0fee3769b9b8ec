import type { KubeObject } from "../api/objects";
import type { GeneratedSecret, OwnerReference } from "../api/objects";
import { client } from "./kinds";
import { unlessMissing } from "../kube/errors";
import { knownChild } from "./apply";
import { rememberChild } from "./child-cache";

const decode = (data: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries((data ?? {}) as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, "base64").toString(),
    ]),
  );

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
): Promise<{ reason: string; message: string } | undefined> {
  const { name, namespace } = secret.metadata;
  const found = await knownChild("v1", "Secret", namespace, name);
  const live = found ? decode(found.data) : undefined;
  const next = secret.generate(live, earlier, now);
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
