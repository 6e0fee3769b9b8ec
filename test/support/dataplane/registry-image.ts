// What the registry images run when the pod spec leaves command/args unset, and which local build
// of the registry stands in for each image. Independent of lib/render on purpose: the harness
// checks the renderer, so it must not share its idea of image versions.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { toolsBin } from "./tools";

export interface ImageRuntime {
  /** How the server is told its ports: a registry config, or Redis' --port flag. */
  kind: "registry" | "redis";
  /** The local registry binary standing in for the image's /bin/registry. */
  binary: string;
  version: string;
  /** The image's ENTRYPOINT and CMD. */
  entrypoint: string[];
  cmd: string[];
}

/**
 * The library `registry` images: ENTRYPOINT /entrypoint.sh, CMD the config path, where the
 * entrypoint runs `registry serve FILE` when its first argument is a file, `registry ARGS` else.
 * Major 2 reads /etc/docker/registry, major 3 /etc/distribution.
 */
export function imageRuntime(image: string): ImageRuntime {
  const ref = image.split("@")[0];
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  const repo = colon > slash ? ref.slice(0, colon) : ref;
  const tag = colon > slash ? ref.slice(colon + 1) : "latest";
  if (/(^|\/)(valkey|redis)$/.test(repo)) return redisRuntime(repo);
  if (!/(^|\/)registry$/.test(repo))
    throw new Error(`the harness runs only the registry and Redis/Valkey images, not ${image}`);
  // 3.0.x runs on the 3.0 build; any other 3 tag (3, 3.1, 3.1.2) on the newest, 3.1.
  const line = /^v?(2)(?:\.|$)/.exec(tag)?.[1] ?? /^v?(3(?:\.0)?)(?:\.|$)/.exec(tag)?.[1];
  const stand = {
    "2": { binary: "/usr/bin/docker-registry", version: "2.8", config: "/etc/docker/registry" },
    "3.0": { binary: join(toolsBin(), "registry"), version: "3.0", config: "/etc/distribution" },
    "3": { binary: join(toolsBin(), "registry-3.1"), version: "3.1", config: "/etc/distribution" },
  }[line ?? ""];
  if (!stand) throw new Error(`the harness has no registry build for ${image} (tag ${tag})`);
  if (!existsSync(stand.binary))
    throw new Error(
      `${stand.binary} is missing: run scripts/tools/install.sh registry registry31 debian`,
    );
  return {
    kind: "registry",
    binary: stand.binary,
    version: stand.version,
    entrypoint: ["/entrypoint.sh"],
    cmd: [`${stand.config}/config.yml`],
  };
}

/**
 * The Redis and Valkey images: docker-entrypoint.sh runs the server when its first argument is a
 * flag. Debian's redis-server (7.0) stands in for either; the flags the operator passes exist in both.
 */
function redisRuntime(repo: string): ImageRuntime {
  const binary = "/usr/bin/redis-server";
  if (!existsSync(binary))
    throw new Error(`${binary} is missing: run scripts/tools/install.sh debian`);
  const server = repo.endsWith("valkey") ? "valkey-server" : "redis-server";
  return {
    kind: "redis",
    binary,
    version: "7",
    entrypoint: ["docker-entrypoint.sh"],
    cmd: [server],
  };
}
