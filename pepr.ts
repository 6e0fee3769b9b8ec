import { Log, PeprModule } from "pepr";
import cfg from "./package.json";
import { CacheCapability } from "./capabilities/cache";
import { RegistryCapability } from "./capabilities/registry";
import { watchChildren } from "./capabilities/child-watches";
import { installCrds } from "./lib/crds/install";
import { startResync } from "./lib/reconcile/resync";

const capabilities = [RegistryCapability, CacheCapability];
const mode = process.env.PEPR_MODE;

// The watcher (and `pepr dev`) installs our CRDs before it starts watching them, and resyncs
// periodically; admission pods and `pepr build` start at once.
if (process.env.PEPR_WATCH_MODE === "true" || mode === "dev") {
  installCrds()
    .catch(err => Log.error({ err }, "could not install the CRDs; watching them may fail"))
    .finally(() => {
      new PeprModule(cfg, capabilities);
      watchChildren();
      startResync();
    });
} else {
  new PeprModule(cfg, capabilities);
}
