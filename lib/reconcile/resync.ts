import { K8s, Log } from "pepr";
import { Registry } from "../api/kinds";
import { enqueueRegistry } from "./registry";

/**
 * Re-checks every Registry periodically. Pepr's watch never re-delivers an unchanged object, so
 * drift that produced no event (or an event that was lost) is corrected here; a settled Registry
 * costs reads only.
 */
export function startResync(everyMs = 60_000): NodeJS.Timeout {
  const timer = setInterval(() => {
    K8s(Registry)
      .Get()
      .then(list =>
        list.items.forEach(r => enqueueRegistry(r.metadata!.namespace!, r.metadata!.name!)),
      )
      .catch(err => Log.error({ err }, "periodic resync: listing Registries failed"));
  }, everyMs);
  timer.unref();
  return timer;
}
