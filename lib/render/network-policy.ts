import type { kind } from "pepr";
import { PRUNER_OWNER_LABEL, podSelector } from "../api/labels";
import { DEFAULT_SCRAPERS, type Peer } from "../api/fields/network-policy";
import { OPERATOR_PEER } from "../api/operator-pods";
import type { KubeObject } from "../kubernetes/objects";
import { redisSelector } from "../dependencies/redis/managed";
import type { RenderContext } from "./context";
import { uiEnabled, uiSelector } from "./ui";

type Rule = NonNullable<NonNullable<kind.NetworkPolicy["spec"]>["ingress"]>[number];

// The prune program of an ImagePruner in the namespace talks to the registry API.
const PRUNE_JOBS: Peer = {
  podSelector: { matchExpressions: [{ key: PRUNER_OWNER_LABEL, operator: "Exists" }] },
};

const tcp = (port: string) => [{ protocol: "TCP", port }];

/**
 * Ingress NetworkPolicies (on unless `networkPolicy.enabled` is false): the registry pods' API
 * port open to `clients` (everyone when unset) and their debug port — metrics and pprof — only to
 * `scrapers` and the operator; the managed Redis only to its registry's pods and the operator; the
 * UI (which passes requests on to the registry) to the registry's `clients`.
 * Egress stays open: storage, upstreams and an external Redis live wherever the user put them.
 */
export function networkPolicies({
  spec,
  names,
  namespace,
  labels,
  name,
}: RenderContext): KubeObject[] {
  const np = spec.networkPolicy ?? {};
  if (np.enabled === false) return [];
  const registryPods = podSelector(labels);
  const ui = uiEnabled(spec);
  const uiPods: Peer = { podSelector: { matchLabels: uiSelector(name) } };
  const api: Rule = {
    ports: tcp("http"),
    ...(np.clients ? { from: [...np.clients, PRUNE_JOBS, ...(ui ? [uiPods] : [])] } : {}),
  };
  const scrapers = np.scrapers ?? DEFAULT_SCRAPERS;
  const debug: Rule = { ports: tcp("debug"), from: [...scrapers, OPERATOR_PEER] };
  const policy = (policyName: string, pods: Record<string, string>, ingress: Rule[]) =>
    ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: policyName, namespace, labels },
      spec: { podSelector: { matchLabels: pods }, policyTypes: ["Ingress"], ingress },
    }) satisfies kind.NetworkPolicy;
  return [
    policy(names.networkPolicy, registryPods, [api, debug]),
    // The UI passes on what it is asked to the registry: it is open to the same clients.
    ...(ui
      ? [
          policy(names.ui, uiSelector(name), [
            { ports: tcp("http"), ...(np.clients ? { from: np.clients } : {}) },
          ]),
        ]
      : []),
    ...(spec.redis?.managed
      ? [
          policy(names.redisNetworkPolicy, redisSelector(name), [
            {
              ports: tcp("redis"),
              from: [{ podSelector: { matchLabels: registryPods } }, OPERATOR_PEER],
            },
          ]),
        ]
      : []),
  ];
}
