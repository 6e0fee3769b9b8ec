import { PeprModule } from "pepr";
import cfg from "./package.json";
import { RegistryCapability } from "./capabilities/registry";

new PeprModule(cfg, [RegistryCapability]);
