import type { Peer } from "./fields/network-policy";

/** The namespace Pepr deploys every module into. */
export const MODULE_NAMESPACE = "pepr-system";

/**
 * The operator's reconciling pods as a NetworkPolicy peer: Pepr names the watcher Deployment of
 * module `registry-operator` `pepr-registry-operator-watcher` and labels its pods so (checked
 * against the built manifest's Deployments in test/integration/module-build.test.ts).
 */
export const OPERATOR_PEER: Peer = {
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": MODULE_NAMESPACE } },
  podSelector: {
    matchLabels: { app: "pepr-registry-operator-watcher", "pepr.dev/controller": "watcher" },
  },
};
