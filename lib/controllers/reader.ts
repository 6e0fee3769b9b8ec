import type { Reader } from "../dependencies/dependency";
import { childData, getLive, liveData } from "../engine/apply";
import { pingRedis } from "../kube/redis-ping";

/**
 * The I/O dependency providers make: children from the informers, anything else from the API,
 * and the Redis probe.
 */
export const reader: Reader = { object: getLive, data: liveData, childData, pingRedis };
