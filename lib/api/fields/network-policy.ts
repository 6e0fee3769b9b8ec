import { z } from "zod";
import { LabelSelector } from "./label-selector";
import { schemaRules } from "./schema-rule";

const d = (description: string) => ({ description });

const CIDR_MESSAGE = "must be a CIDR such as 10.0.0.0/8 or fd00::/8";
const Cidr = z
  .union([z.cidrv4(), z.cidrv6()], { error: CIDR_MESSAGE })
  .meta({ maxLength: 49, ...schemaRules({ rule: "isCIDR(self)", message: CIDR_MESSAGE }) });

const PEER_MESSAGE =
  "set ipBlock, or namespaceSelector and/or podSelector (an ipBlock cannot be combined with selectors)";

/** A NetworkPolicyPeer, as in Kubernetes. */
export const Peer = z
  .strictObject({
    namespaceSelector: LabelSelector.optional().meta(
      d("Namespaces whose pods may connect ({} selects every namespace)."),
    ),
    podSelector: LabelSelector.optional().meta(
      d(
        "Pods that may connect: in the registry's namespace, or in the namespaces namespaceSelector matches.",
      ),
    ),
    ipBlock: z
      .strictObject({
        cidr: Cidr,
        except: z.array(Cidr).max(32).optional().meta(d("Ranges inside cidr left out.")),
      })
      .optional()
      .meta(d("Addresses outside the pod network: nodes, load balancers, other networks.")),
  })
  .superRefine((peer, ctx) => {
    const selectors = peer.namespaceSelector !== undefined || peer.podSelector !== undefined;
    if (selectors === (peer.ipBlock !== undefined))
      ctx.addIssue({ code: "custom", message: PEER_MESSAGE });
  })
  .meta({
    ...d("Who may connect, as a NetworkPolicy peer."),
    ...schemaRules({
      rule: "has(self.ipBlock) != (has(self.namespaceSelector) || has(self.podSelector))",
      message: PEER_MESSAGE,
    }),
  });
export type Peer = z.infer<typeof Peer>;

/** Prometheus servers anywhere, as the Prometheus Operator and the community chart label them. */
export const DEFAULT_SCRAPERS: Peer[] = [
  {
    namespaceSelector: {},
    podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
  },
];

const Peers = (description: string) => z.array(Peer).max(32).optional().meta(d(description));

/** Who may reach a registry's ports: a NetworkPolicy per registry (and its managed Redis). */
export const NetworkPolicy = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .meta(
        d(
          "Create the NetworkPolicies (default true). They take effect only where the cluster's network plugin enforces NetworkPolicy.",
        ),
      ),
    clients: Peers(
      "Who may reach the registry API port. Unset (default): everyone — pods in any namespace, nodes pulling images, ingress controllers, load balancers. When set, only these (and the ImagePruner jobs of the namespace); include your nodes' CIDR for image pulls by the kubelet and the ingress controller's pods with spec.ingress. [] allows only those jobs.",
    ),
    scrapers: Peers(
      "Who may reach the debug port (Prometheus metrics and pprof), besides the operator's pods. Default: pods labelled app.kubernetes.io/name=prometheus in any namespace. [] closes the port to all but the operator.",
    ),
  })
  .meta(
    d(
      "Ingress NetworkPolicies for the registry pods (API port to clients, debug port to scrapers and the operator) and the managed Redis (only from its registry and the operator). Egress is not restricted.",
    ),
  );
export type NetworkPolicy = z.infer<typeof NetworkPolicy>;
