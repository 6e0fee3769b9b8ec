import { PeprModule } from "pepr";
import cfg from "./package.json";
import { CacheCapability } from "./capabilities/cache";
import { RegistryCapability } from "./capabilities/registry";
import { CredentialsCapability } from "./capabilities/credentials";
import { ServiceAccountsCapability } from "./capabilities/service-accounts";
import { PrunerCapability } from "./capabilities/pruner";
import { extensions } from "./capabilities/extensions";
import { watchChildren } from "./capabilities/child-watches";
import { installCrdsOrExit } from "./lib/crds/install";
import { watchCertExpiry } from "./lib/module/cert-expiry";
import { serveOperatorMetrics } from "./lib/module/metrics";
import { startResync } from "./lib/controllers/resync";

const capabilities = [
  RegistryCapability,
  CacheCapability,
  CredentialsCapability,
  ServiceAccountsCapability,
  PrunerCapability,
  ...extensions,
];
const mode = process.env.PEPR_MODE;

// The watcher (and `pepr dev`) installs our CRDs before it starts watching them, and resyncs
// periodically; admission pods and `pepr build` start at once.
if (process.env.PEPR_WATCH_MODE === "true" || mode === "dev") {
  // Without the CRDs the watcher would run against missing kinds: start-up fails instead.
  void installCrdsOrExit().then(installed => {
    if (!installed) return;
    new PeprModule(cfg, capabilities);
    watchChildren();
    startResync();
  });
} else {
  new PeprModule(cfg, capabilities);
}
// The serving certificate `pepr build` issued lasts a year: warn 30 days ahead (not at build time).
if (mode !== "build") {
  watchCertExpiry();
  serveOperatorMetrics();
}
