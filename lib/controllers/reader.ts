import type { Reader } from "../dependencies/dependency";
import { childData, childrenData, getLive, liveData } from "../engine/apply";
import { namespaceLabels } from "../kube/registry-lookup";
import { pingRedis } from "../kube/redis-ping";
import { servedKinds } from "../kube/api-groups";

/**
 * The I/O dependency providers make: children from the informers, anything else from the API,
 * and the Redis probe.
 */
export const reader: Reader = {
  object: getLive,
  data: liveData,
  childData,
  childrenData,
  namespaceLabels: name => namespaceLabels(name, "reconcile"),
  pingRedis,
  servedKinds: apiVersion => servedKinds(apiVersion),
};
