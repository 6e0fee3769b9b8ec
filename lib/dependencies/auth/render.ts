import type { kind } from "pepr";
import type { Contribution } from "../../render/contribution";
import type { RenderContext } from "../../render/context";
import { HTPASSWD_KEY } from "./htpasswd";

/** Where the registry container reads its htpasswd file. */
export const AUTH_DIR = "/etc/registry-auth";

/**
 * The render half of authentication: `auth.htpasswd` in the config and the file, from the Secret
 * `<name>-htpasswd` the operator keeps (`found`, from the observe half; none: no auth). The
 * registry re-reads the file when it changes, so accounts come and go without a restart.
 */
export function authContribution(ctx: RenderContext, found?: Record<string, string>): Contribution {
  const htpasswd = found?.[HTPASSWD_KEY];
  if (htpasswd === undefined) return {};
  const { names, namespace, labels } = ctx;
  return {
    config: {
      auth: {
        htpasswd: { realm: `${namespace}/${ctx.name}`, path: `${AUTH_DIR}/${HTPASSWD_KEY}` },
      },
    },
    volumes: [{ name: "auth", secret: { secretName: names.htpasswd } }],
    mounts: [{ name: "auth", mountPath: AUTH_DIR, readOnly: true }],
    objects: [
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: names.htpasswd, namespace, labels },
        type: "Opaque",
        data: { [HTPASSWD_KEY]: Buffer.from(htpasswd).toString("base64") },
      } satisfies kind.Secret,
    ],
  };
}
