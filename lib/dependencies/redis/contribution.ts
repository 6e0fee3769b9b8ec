import type { Contribution } from "../../render/contribution";
import type { RenderContext } from "../../render/context";
import { randomValueSecret } from "../../render/generated";
import { managedRedisObjects } from "./managed";
import { REDIS_PASSWORD_KEY, redisRendering } from "./render";

/**
 * The render half of Redis: its config section, the password env and CA volume, the managed
 * Redis itself with its generated password, and the health gate when the spec makes Redis
 * required. Once the managed Redis is gone (pruned with the other children), its password goes too.
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
    generated: spec.redis?.managed ? [randomValueSecret(ctx, names.redis, REDIS_PASSWORD_KEY)] : [],
    retired: spec.redis?.managed ? [] : [names.redis],
  };
}
