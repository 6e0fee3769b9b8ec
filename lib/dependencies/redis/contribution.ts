import type { Contribution } from "../../render/contribution";
import type { RenderContext } from "../../render/context";
import { managedRedisObjects } from "./managed";
import { redisRendering } from "./render";

/**
 * The render half of Redis: its config section, the password env and CA volume, the managed
 * Redis itself, and the health gate when the spec makes Redis required.
 */
export function redisContribution(ctx: RenderContext): Contribution {
  const { spec, names, format } = ctx;
  const redis = redisRendering(spec, names, format);
  return {
    config: redis.section ? { redis: redis.section } : {},
    env: redis.env,
    volumes: redis.volumes,
    mounts: redis.mounts,
    gates: redis.section && spec.redis?.required ? ["redis"] : [],
    objects: spec.redis?.managed ? managedRedisObjects(ctx, spec.redis.managed) : [],
  };
}
