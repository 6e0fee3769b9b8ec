import { homedir } from "node:os";
import { join } from "node:path";

/** The toolchain cache of scripts/tools/cache-dir.sh. */
export function toolsCache(): string {
  return (
    process.env.REGISTRY_OPERATOR_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "registry-operator")
  );
}

export const toolsBin = (): string => join(toolsCache(), "bin");
