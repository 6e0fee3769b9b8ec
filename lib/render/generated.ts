import { randomBytes } from "node:crypto";
import type { GeneratedSecret } from "../kubernetes/objects";
import type { RenderContext } from "./context";

/** Key of the generated, never re-rendered Secret holding the shared http.secret. */
export const HTTP_SECRET_KEY = "secret";

/**
 * The shared http.secret: every replica signs upload state the same way, and upgrades do not
 * change it.
 */
export const httpSecret = (ctx: RenderContext): GeneratedSecret =>
  randomValueSecret(ctx, ctx.names.httpSecret, HTTP_SECRET_KEY, {
    reason: "HttpSecretGenerated",
    message: `Generated the shared http.secret in Secret ${ctx.names.httpSecret}.`,
  });

/** A Secret holding one random value under `key`, created once and never rewritten. */
export function randomValueSecret(
  { namespace, labels, owner }: RenderContext,
  name: string,
  key: string,
  event?: { reason: string; message: string },
): GeneratedSecret {
  return {
    metadata: { name, namespace, labels, ownerReferences: [owner] },
    generate: live =>
      live
        ? undefined
        : { data: { [key]: randomBytes(32).toString("hex") }, ...(event ? { event } : {}) },
  };
}
