import { randomBytes } from "node:crypto";
import type { KubeObject } from "../render/storage/driver";
import { ownerReference } from "../render/owner";
import { HTTP_SECRET_KEY } from "../render/registry";
import { client } from "./kinds";
import { getLive } from "./apply";

/**
 * The registry's shared http.secret: generated once and never rewritten, so every replica signs
 * upload state the same way and upgrades do not change it. Created if missing; a live one is left
 * exactly as it is.
 */
export async function ensureHttpSecret(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  owner: ReturnType<typeof ownerReference>,
): Promise<"kept" | "created"> {
  if (await getLive("v1", "Secret", namespace, name)) return "kept";
  const secret: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace, labels, ownerReferences: [owner] },
    type: "Opaque",
    data: { [HTTP_SECRET_KEY]: Buffer.from(randomBytes(32).toString("hex")).toString("base64") },
  };
  await client("v1", "Secret").Apply(secret as never, { force: true });
  return "created";
}
