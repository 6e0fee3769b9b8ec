import { Log, PeprModule } from "pepr";
import cfg from "./package.json";
import { RegistryCapability } from "./capabilities/registry";
import { installCrds } from "./lib/crds/install";

const capabilities = [RegistryCapability];
const mode = process.env.PEPR_MODE;

// The watcher (and `pepr dev`) installs our CRDs before it starts watching them; admission pods and
// `pepr build` start at once.
if (process.env.PEPR_WATCH_MODE === "true" || mode === "dev") {
  installCrds()
    .catch(err => Log.error({ err }, "could not install the CRDs; watching them may fail"))
    .finally(() => new PeprModule(cfg, capabilities));
} else {
  new PeprModule(cfg, capabilities);
}
