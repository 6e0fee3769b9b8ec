import { randomBytes } from "node:crypto";
import type { KubeObject } from "../api/objects";
import type { GeneratedSecret, OwnerReference } from "../api/objects";
import { client } from "./kinds";
import { unlessMissing } from "../kube/errors";
import { knownChild } from "./apply";
import { rememberChild } from "./child-cache";

/**
 * Creates a rendered create-once Secret (the shared http.secret: every replica signs upload state
 * the same way, upgrades do not change it; the managed Redis password) if missing, with a fresh
 * random value. A live one is left exactly as it is.
 */
export async function ensureGeneratedSecret({
  metadata,
  key,
}: GeneratedSecret): Promise<"kept" | "created"> {
  if (await knownChild("v1", "Secret", metadata.namespace, metadata.name)) return "kept";
  // Create, not apply: when it exists after all (not yet seen here), it is kept as it is.
  const secret: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata,
    type: "Opaque",
    data: { [key]: Buffer.from(randomBytes(32).toString("hex")).toString("base64") },
  };
  try {
    rememberChild(await client("v1", "Secret").Create(secret));
  } catch (err) {
    if ((err as { status?: number }).status === 409) return "kept";
    throw err;
  }
  return "created";
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
