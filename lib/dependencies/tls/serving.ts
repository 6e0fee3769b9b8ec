import type { RegistrySpec } from "../../api/registry-spec";
import type { RenderContext } from "../../render/context";

/**
 * Whether the registry serves HTTPS: `tls` set and not disabled. An object stored without `tls`
 * (created before TLS was the default) serves plain HTTP until its owner opts in.
 */
export const servesTls = (spec: RegistrySpec): boolean => !!spec.tls && !spec.tls.disabled;

/** The Secret holding the pair the registry serves: the user's, or the one the operator issues. */
export const servedSecret = ({ spec, names }: Pick<RenderContext, "spec" | "names">): string =>
  spec.tls?.secretName ?? names.tls;
