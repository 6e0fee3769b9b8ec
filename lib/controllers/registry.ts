import { observeNodeTrust } from "../dependencies/node-trust/observe";
import { ownSpec } from "../api/own-spec";
import { withRegistryDefaults } from "../admission/resolve";
import { GVK, type Registry } from "../api/kinds";
import { RegistrySpec } from "../api/registry-spec";
import { OWNERSHIP } from "../api/labels";
import { renderRegistry } from "../render/registry";
import { renderContext } from "../render/context";
import { supportedCondition } from "../render/status/supported";
import { observeRedis } from "../dependencies/redis/observe";
import { observeStorage } from "../dependencies/storage/index";
import { observeTls } from "../dependencies/tls/observe";
import { observeAuth } from "../dependencies/auth/observe";
import { observeMonitoring } from "../dependencies/monitoring/observe";
import { observePrePull } from "../dependencies/pre-pull/observe";
import { controller, type Plan } from "../engine/pipeline";
import { templateCondition } from "./template";
import { registryWorkloadPlan, type WorkloadObservation } from "./workload";

/** A Registry: its storage and Redis, the registry server, and what its spec alone says. */
export const registryPlan: Plan<Registry, RegistrySpec, WorkloadObservation<RegistrySpec>> = {
  gvk: GVK.Registry,
  // The same defaults admission stores: an object the webhook never saw still gets an image.
  resolve: registry => RegistrySpec.safeParse(withRegistryDefaults(registry.spec ?? {})).data,
  specConditions: async registry => [
    supportedCondition(ownSpec(registry)),
    ...(await templateCondition(registry)),
  ],
  managementState: spec => spec.managementState ?? "Managed",
  ...registryWorkloadPlan({
    ownership: OWNERSHIP.Registry,
    context: renderContext,
    providers: () => [
      observeStorage,
      observeRedis,
      observeTls,
      observeAuth,
      observeNodeTrust,
      observeMonitoring,
      observePrePull,
    ],
    render: (ctx, _spec, extras) => renderRegistry(ctx, extras),
  }),
};

const registries = controller(registryPlan);
export const { reconcile: reconcileRegistry, enqueue: enqueueRegistry } = registries;
