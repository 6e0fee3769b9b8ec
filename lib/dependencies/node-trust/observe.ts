import { agentRefusedBy } from "../../api/node-trust";
import type { Dependency, Observe, ObserveContext, Reader } from "../dependency";
import { TLS_KEYS } from "../tls/certificates";
import { servedSecret, servesTls } from "../tls/serving";
import { serviceHost } from "../../render/names";
import { NODE_TRUST_FOUND, NODE_TRUST_READY } from "./render";

interface DaemonSetState {
  metadata?: { generation?: number };
  status?: {
    observedGeneration?: number;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberReady?: number;
  };
}

const state = (
  ready: boolean,
  reason: string,
  message: string,
  found?: Record<string, string>,
): Dependency => ({
  type: NODE_TRUST_READY,
  ready,
  reason,
  message,
  // The registry serves whatever the nodes know of it.
  blocking: false,
  ...(found && Object.keys(found).length ? { found } : {}),
});

/**
 * `NodeTrustReady`, from the agent DaemonSet's status: every selected node runs an agent of the
 * current ConfigMap and is ready (it has written the files). Also the Service's allocated cluster
 * IP for the /etc/hosts lines, and the namespace's Pod Security level, which must admit the
 * agent's hostPath volumes.
 */
export const observeNodeTrust: Observe = async (ctx, read) => {
  const { spec, names, namespace } = ctx;
  const trust = spec.nodeTrust;
  if (!trust?.enabled) return undefined;
  const found: Record<string, string> = {};
  if (trust.hostsFile && !spec.service?.clusterIP) {
    const svc = await read.object("v1", "Service", namespace, names.service);
    const ip = (svc?.spec as { clusterIP?: string } | undefined)?.clusterIP;
    if (ip) found[NODE_TRUST_FOUND.clusterIP] = ip;
  }
  const refused = agentRefusedBy(namespace, await read.namespaceLabels(namespace));
  if (refused) return state(false, "PodSecurityForbids", `N${refused.slice(1)}.`, found);
  const ds = (await read.object("apps/v1", "DaemonSet", namespace, names.nodeTrust)) as
    | DaemonSetState
    | undefined;
  const s = ds?.status;
  if (!ds || !s || (s.observedGeneration ?? 0) < (ds.metadata?.generation ?? 0))
    return state(
      false,
      "Deploying",
      `Starting the node agent (DaemonSet ${names.nodeTrust}).`,
      found,
    );
  const desired = s.desiredNumberScheduled ?? 0;
  if (desired === 0)
    return state(
      false,
      "NoNodes",
      "spec.nodeTrust selects no node: no node matches its nodeSelector (and kubernetes.io/os=linux), or every matching node has a taint it does not tolerate.",
      found,
    );
  const current = Math.min(s.updatedNumberScheduled ?? 0, s.numberReady ?? 0);
  const host = serviceHost(ctx);
  if (current < desired)
    return state(
      false,
      "Syncing",
      `${current} of ${desired} nodes have the current files for ${host}; an agent that stays unready says why in its log (kubectl logs -n ${namespace} -l app.kubernetes.io/name=registry-node-trust,app.kubernetes.io/instance=${ctx.names.workload}).`,
      found,
    );
  return state(
    true,
    "NodesConfigured",
    `The agent on ${desired} node${desired === 1 ? "" : "s"} has written the current files for ${host}${await caNote(ctx, read)}.`,
    found,
  );
};

/** What nodes verify the registry with, when it is not a CA the agent writes. */
async function caNote(ctx: ObserveContext, read: Reader): Promise<string> {
  const { spec, namespace } = ctx;
  if (!servesTls(spec)) return " (plain HTTP: no CA)";
  if (spec.tls?.selfSigned) return "";
  const secret = servedSecret(ctx);
  const data = await read.data("Secret", namespace, secret);
  return data?.[TLS_KEYS.ca]
    ? ""
    : `; no CA is written: Secret ${secret} has no ${TLS_KEYS.ca}, so nodes verify the certificate with their system roots (add ${TLS_KEYS.ca} if a private CA signed it)`;
}
