import { Log } from "pepr";
import { ownSpec } from "../admission/resolve";
import { Registry } from "../api/kinds";
import { supportedCondition } from "../status/supported";
import { writeStatus } from "./status-writer";

/**
 * Brings a Registry's status in line with its spec. Today that is `observedGeneration` and the
 * `Supported` condition; rendering and applying the registry's workloads builds on this.
 */
export async function reconcileRegistry(registry: Registry): Promise<void> {
  const ref = `${registry.metadata?.namespace}/${registry.metadata?.name}`;
  try {
    const wrote = await writeStatus(Registry, registry, [supportedCondition(ownSpec(registry))]);
    if (wrote) Log.info(`Registry ${ref}: status updated`);
  } catch (err) {
    // Pepr drops a failed reconcile; the next event or resync retries it.
    Log.error({ err }, `Registry ${ref}: status update failed`);
  }
}
