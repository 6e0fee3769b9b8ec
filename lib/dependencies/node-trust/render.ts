import { createHash } from "node:crypto";
import type { kind } from "pepr";
import { podSelector } from "../../api/labels";
import { DEFAULT_NODE_AGENT_IMAGE, TOLERATE_ALL } from "../../api/node-trust";
import type { Contribution } from "../../render/contribution";
import type { RenderContext } from "../../render/context";
import { nodeConfig, type NodeTrustInput } from "./files";
import { NODE_AGENT_SCRIPT } from "./script";
import { containerResources } from "../../render/pod-fields";
import { RENDER_ANNOTATIONS } from "../../api/annotations";

/** The condition type of the node agent. */
export const NODE_TRUST_READY = "NodeTrustReady";

/** Keys of `found` the observe half fills for the render half. */
export const NODE_TRUST_FOUND = { clusterIP: "clusterIP" } as const;

const CONFIG_DIR = "/config";
const HOST_ROOT = "/host";
/** On the node: which files each owner's agent wrote, and what it set aside. */
export const STATE_DIR = "/var/lib/registry-operator/node-trust";
const READY_FILE = "/run/node-trust/ready";
const SCRIPT_KEY = "agent.sh";
/** How often the agent compares the node with its ConfigMap (seconds). */
const INTERVAL_SECONDS = 30;
const RESOURCES = { requests: { cpu: "5m", memory: "16Mi" }, limits: { memory: "32Mi" } };

/** Whose files an agent keeps: kind, namespace and name, a directory name on the node. */
export const agentOwner = (ctx: Pick<RenderContext, "owner" | "namespace" | "name">): string =>
  `${ctx.owner.kind.toLowerCase()}.${ctx.namespace}.${ctx.name}`;

/** The ConfigMap the agent mounts: its program, the files (one key each) and their list. */
export function agentConfigMap(ctx: RenderContext, input: NodeTrustInput) {
  const { files, hosts } = nodeConfig(ctx, input);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: ctx.names.nodeTrust, namespace: ctx.namespace, labels: ctx.labels },
    data: {
      [SCRIPT_KEY]: NODE_AGENT_SCRIPT,
      owner: agentOwner(ctx),
      files: files.map((f, i) => `f${i + 1} ${f.path}\n`).join(""),
      ...Object.fromEntries(files.map((f, i) => [`f${i + 1}`, f.content])),
      ...(hosts.length ? { hosts: hosts.map(l => `${l}\n`).join("") } : {}),
    } as Record<string, string>,
  } satisfies kind.ConfigMap;
}

/**
 * The agent: one pod per selected node, in the owner's namespace, owned by it. It runs as root
 * without capabilities (the files it writes are root's) and mounts the node's /etc and its state
 * directory: hostPath volumes, which only the `privileged` Pod Security level admits. A new
 * ConfigMap rolls it out node by node, each new pod starting before the old one stops
 * (maxSurge), so a node is never without its files.
 */
export function agentDaemonSet(ctx: RenderContext, config: { data: Record<string, string> }) {
  const { names, namespace, labels, spec } = ctx;
  const trust = spec.nodeTrust ?? {};
  const selector = {
    ...podSelector(labels),
    "app.kubernetes.io/name": "registry-node-trust",
  };
  const podLabels = { ...labels, ...selector };
  const checksum = createHash("sha256").update(JSON.stringify(config.data)).digest("hex");
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: names.nodeTrust, namespace, labels: podLabels },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: podLabels,
          annotations: { [RENDER_ANNOTATIONS.nodeConfigChecksum]: checksum },
        },
        spec: {
          // Its program is a shell script: Linux nodes only, whatever nodeSelector says.
          nodeSelector: { ...trust.nodeSelector, "kubernetes.io/os": "linux" },
          ...(trust.priorityClassName ? { priorityClassName: trust.priorityClassName } : {}),
          tolerations: trust.tolerations ?? TOLERATE_ALL,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 30,
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "agent",
              image: trust.image ?? DEFAULT_NODE_AGENT_IMAGE,
              command: ["/bin/sh", `${CONFIG_DIR}/${SCRIPT_KEY}`, "run"],
              env: [
                { name: "ROOT", value: HOST_ROOT },
                { name: "CONFIG", value: CONFIG_DIR },
                { name: "INTERVAL", value: String(INTERVAL_SECONDS) },
                { name: "READY", value: READY_FILE },
                { name: "AGENT", valueFrom: { fieldRef: { fieldPath: "metadata.uid" } } },
              ],
              resources: trust.resources ? containerResources(trust.resources) : RESOURCES,
              readinessProbe: {
                exec: { command: ["test", "-f", READY_FILE] },
                periodSeconds: 10,
              },
              securityContext: {
                runAsUser: 0,
                runAsGroup: 0,
                runAsNonRoot: false,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [
                { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                { name: "host-etc", mountPath: `${HOST_ROOT}/etc` },
                { name: "state", mountPath: `${HOST_ROOT}${STATE_DIR}` },
                { name: "run", mountPath: "/run/node-trust" },
              ],
            },
          ],
          volumes: [
            { name: "config", configMap: { name: names.nodeTrust, defaultMode: 0o444 } },
            { name: "host-etc", hostPath: { path: "/etc", type: "Directory" } },
            { name: "state", hostPath: { path: STATE_DIR, type: "DirectoryOrCreate" } },
            { name: "run", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
          ],
        },
      },
    },
  } satisfies kind.DaemonSet;
}

/**
 * The render half of nodeTrust: the agent and its ConfigMap, once what nodes must hold is known:
 * the operator's CA (a node told to trust nothing would refuse the registry), and with hostsFile
 * the Service's cluster IP (known once the Service exists; a fixed one is in the spec).
 */
export function nodeTrustContribution(ctx: RenderContext, input: NodeTrustInput): Contribution {
  const { spec } = ctx;
  const trust = spec.nodeTrust;
  if (!trust?.enabled) return {};
  if (spec.tls?.selfSigned && !spec.tls.disabled && !input.ca) return {};
  if (trust.hostsFile && !spec.service?.clusterIP && !input.clusterIP) return {};
  const config = agentConfigMap(ctx, input);
  return { objects: [config, agentDaemonSet(ctx, config)] };
}
