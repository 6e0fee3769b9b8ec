import { z } from "zod";
import { Image } from "./fields/image";
import { ObjectName } from "./fields/kube";
import { Resources } from "./fields/resources";
import { schemaRules } from "./fields/schema-rule";
import { Toleration } from "./fields/toleration";

const d = (description: string) => ({ description });

/** The node agent's image: a small public shell with the few tools its script uses. */
// Fully qualified: CRI-O with short-name mode "enforcing" refuses short names.
export const DEFAULT_NODE_AGENT_IMAGE = "docker.io/library/busybox:1.37.0";

export const NODE_RUNTIMES = ["containerd", "docker", "both"] as const;

/** A node agent tolerates every taint unless told otherwise: a node it skips cannot pull. */
export const TOLERATE_ALL: Toleration[] = [{ operator: "Exists" }];

export const NodeTrust = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .meta(
        d(
          "Run the node agent (a DaemonSet). Off by default: it writes to the nodes' /etc through hostPath volumes, which only a namespace allowing privileged pods admits.",
        ),
      ),
    nodeSelector: z
      .record(z.string(), z.string())
      .optional()
      .meta(d("Node labels of the nodes to configure (default: every Linux node).")),
    tolerations: z
      .array(Toleration)
      .optional()
      .meta(d("Taints the agent tolerates (default: all of them, like any node agent).")),
    runtime: z
      .enum(NODE_RUNTIMES)
      .optional()
      .meta(
        d(
          "Which runtime's trust directory to write: containerd (default: /etc/containerd/certs.d/<host>/ with ca.crt and hosts.toml), docker (/etc/docker/certs.d/<host>/ca.crt) or both.",
        ),
      ),
    hostsFile: z
      .boolean()
      .optional()
      .meta(
        d(
          "Also map the Service's DNS names to its cluster IP in the node's /etc/hosts (lines marked as the operator's and removed with it). Nodes do not use cluster DNS, so Docker, and anything else on the node that resolves the name, needs this.",
        ),
      ),
    image: Image.optional().meta(
      d(
        `Image of the agent: any image with a POSIX shell and busybox's tools (or coreutils with awk, cmp, flock, grep, sed) (default ${DEFAULT_NODE_AGENT_IMAGE}).`,
      ),
    ),
    priorityClassName: ObjectName.optional().meta(
      d(
        "PriorityClass of the agent's pods (e.g. system-node-critical, where the cluster allows it outside kube-system), so they are evicted last: an evicted agent removes its files from that node until it runs again.",
      ),
    ),
    resources: Resources.optional().meta(
      d("Resources of the agent (default requests 5m CPU / 16Mi, limit 32Mi memory)."),
    ),
  })
  .meta(
    d(
      "Make nodes trust and reach the registry: an agent on every selected node writes the registry's CA and a containerd hosts.toml (and, for a Cache, mirror entries) atomically, and removes exactly those files when no longer wanted.",
    ),
  );
export type NodeTrust = z.infer<typeof NodeTrust>;

/** The namespace label Pod Security admission enforces. */
export const PSA_ENFORCE = "pod-security.kubernetes.io/enforce";

/** What admission knows of an object's namespace, asked only when its nodeTrust is on. */
export interface NamespaceFacts {
  namespace: string;
  labels: Record<string, string> | undefined;
}

/**
 * Why a namespace's Pod Security level refuses the node agent (hostPath volumes, root), or
 * undefined when it admits it (privileged, or no level set: the cluster's default decides).
 */
export function agentRefusedBy(
  namespace: string,
  labels: Record<string, string> | undefined,
): string | undefined {
  const level = labels?.[PSA_ENFORCE];
  if (!level || level === "privileged") return undefined;
  return `namespace ${namespace} enforces Pod Security "${level}", which refuses the node agent: it mounts the nodes' /etc (hostPath) and runs as root, which only "privileged" admits. Label the namespace ${PSA_ENFORCE}=privileged, or run the registry in one that is, or turn nodeTrust off`;
}

/** Docker Hub's names: images say docker.io; the API is served at registry-1.docker.io. */
export const DOCKER_HUB_NAMES = ["docker.io", "index.docker.io", "registry-1.docker.io"];

/** `host[:port]` of an upstream URL, as image references name it (no default port, lower case). */
export const upstreamHost = (url: string): string => new URL(url).host;

/** The names image references may use for the registry at `url`: its host, or Docker Hub's. */
export function upstreamNames(url: string): string[] {
  const host = upstreamHost(url);
  return DOCKER_HUB_NAMES.includes(host) ? DOCKER_HUB_NAMES : [host];
}

const HUB = `[${DOCKER_HUB_NAMES.map(n => `'${n}'`).join(", ")}]`;
// The schema's half is what fits the API server's cost budget: the host as the URL spells it, with
// or without its port; the webhook compares without letter case and refuses a wrong port.
const HOSTNAME = "url(self.upstreamRegistryURL).getHostname()";
const NAMES_UPSTREAM = (m: string) =>
  `(${m} == url(self.upstreamRegistryURL).getHost() || ${m} == ${HOSTNAME} || (${m} in ${HUB} && ${HOSTNAME} in ${HUB}))`;
export const MIRROR_MESSAGE =
  "each entry must name the upstream this Cache pulls from (its host, or docker.io for Docker Hub): the nodes would otherwise be served another registry's images";

/** A Cache's node trust: the same, plus the upstream names nodes pull through it. */
export const CacheNodeTrust = NodeTrust.extend({
  mirrorFor: z
    .array(z.string().min(1).max(261))
    .max(8)
    .optional()
    .meta(
      d(
        "Make containerd pull these registries through this Cache (e.g. [docker.io]): a hosts.toml under certs.d/<name>/ puts the Cache first and keeps the upstream as fallback. Only the names of the Cache's own upstream.",
      ),
    ),
});

/** The CEL half of the rule that mirrorFor names the Cache's upstream only. */
export const MIRROR_RULE = {
  rule: `!has(self.nodeTrust) || !has(self.nodeTrust.mirrorFor) || self.nodeTrust.mirrorFor.all(m, ${NAMES_UPSTREAM("m")})`,
  message: MIRROR_MESSAGE,
  fieldPath: ".nodeTrust.mirrorFor",
};
export const mirrorRule = schemaRules(MIRROR_RULE);

/** The entries of `mirrorFor` that do not name the upstream at `url`. */
export function foreignMirrors(url: string, mirrorFor: string[] | undefined): string[] {
  let names: string[];
  try {
    names = upstreamNames(url);
  } catch {
    return []; // the URL's own check reports it
  }
  return (mirrorFor ?? []).filter(m => !names.includes(m.toLowerCase()));
}
