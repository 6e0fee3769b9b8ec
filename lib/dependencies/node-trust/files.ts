import { DEFAULT_PORT } from "../../api/defaults";
import { serviceHost } from "../../render/names";
import type { RegistrySpec } from "../../api/registry-spec";
import type { RenderContext } from "../../render/context";
import { servesTls } from "../tls/serving";
import { hostsToml, type HostEntry } from "./hosts-toml";

export const CONTAINERD_CERTS = "/etc/containerd/certs.d";
export const DOCKER_CERTS = "/etc/docker/certs.d";

/** A file the agent keeps on every selected node. */
export interface NodeFile {
  /** Absolute path on the node. */
  path: string;
  content: string;
}

/** What the agent keeps on a node for one Registry or Cache. */
export interface NodeConfig {
  /** The name image references use: the Service's `<name>.<namespace>.svc:<port>`. */
  host: string;
  /** Where the node's runtime connects for it (scheme://host:port). */
  endpoint: string;
  files: NodeFile[];
  /** `/etc/hosts` lines, without the agent's marker (hostsFile). */
  hosts: string[];
}

/** What nodes are told beyond the spec: values other providers and the cluster know. */
export interface NodeTrustInput {
  /** The CA bundle that verifies the registry (PEM), when one is known. */
  ca?: string;
  /** The Service's cluster IP, once allocated (a fixed one is in the spec). */
  clusterIP?: string;
  /** A Cache's upstream (URL) and the names nodes pull through it. */
  mirror?: { upstream: string; names: string[] };
}

const bracketed = (ip: string): string => (ip.includes(":") ? `[${ip}]` : ip);

/**
 * How a node's runtime reaches the registry, in order of preference: the fixed cluster IP (in the
 * certificate), the Service name mapped in /etc/hosts, or the node port on the node's loopback
 * (127.0.0.1 is then put in the certificate). Undefined when the spec names none of them
 * (admission refuses that).
 */
function nodeRoute(spec: RegistrySpec): "clusterIP" | "hostsFile" | "nodePort" | undefined {
  const svc = spec.service ?? {};
  if (svc.clusterIP && svc.clusterIP !== "None") return "clusterIP";
  if (spec.nodeTrust?.hostsFile) return "hostsFile";
  if (svc.nodePort !== undefined) return "nodePort";
  return undefined;
}

/** Where a node's runtime connects for the registry named `host` (scheme://host:port). */
function nodeEndpoint(spec: RegistrySpec, host: string): string {
  const scheme = servesTls(spec) ? "https" : "http";
  const svc = spec.service ?? {};
  switch (nodeRoute(spec)) {
    case "clusterIP":
      return `${scheme}://${bracketed(svc.clusterIP!)}:${svc.port ?? DEFAULT_PORT}`;
    case "nodePort":
      return `${scheme}://127.0.0.1:${svc.nodePort}`;
    default:
      return `${scheme}://${host}`;
  }
}

/** Whether the certificate must also name 127.0.0.1: nodes reach the registry by its node port. */
export const reachedByNodePort = (spec: RegistrySpec): boolean =>
  !!spec.nodeTrust?.enabled && nodeRoute(spec) === "nodePort";

/**
 * The files and host lines for one registry: its CA and a hosts.toml under containerd's
 * certs.d/<host>/ (and the CA under Docker's), and for a Cache a hosts.toml per mirrored name that
 * puts the Cache first and keeps the upstream as containerd's fallback.
 */
export function nodeConfig(ctx: RenderContext, input: NodeTrustInput): NodeConfig {
  const { spec, names, namespace, name } = ctx;
  const trust = spec.nodeTrust ?? {};
  const runtime = trust.runtime ?? "containerd";
  const host = serviceHost(ctx);
  const endpoint = nodeEndpoint(spec, host);
  const scheme = endpoint.split("://")[0];
  const kind = ctx.owner.kind;
  const containerd = runtime !== "docker";
  const docker = runtime !== "containerd";
  const ca = scheme === "https" ? input.ca : undefined;
  const caPath = `${CONTAINERD_CERTS}/${host}/ca.crt`;
  const files: NodeFile[] = [];
  if (containerd) {
    if (ca) files.push({ path: caPath, content: ca });
    files.push({
      path: `${CONTAINERD_CERTS}/${host}/hosts.toml`,
      content: hostsToml(
        `Written by registry-operator for ${kind} ${namespace}/${name}; removed with it.`,
        `${scheme}://${host}`,
        [
          {
            url: endpoint,
            capabilities: kind === "Cache" ? ["pull", "resolve"] : ["pull", "resolve", "push"],
            ...(ca ? { ca: caPath } : {}),
          },
        ],
      ),
    });
    for (const mirrored of input.mirror?.names ?? [])
      files.push({
        path: `${CONTAINERD_CERTS}/${mirrored}/hosts.toml`,
        content: hostsToml(
          `Written by registry-operator for Cache ${namespace}/${name}: containerd pulls ${mirrored}\nthrough it, and from the upstream when it fails. Removed with it.`,
          input.mirror!.upstream.replace(/\/$/, ""),
          [
            {
              url: endpoint,
              capabilities: ["pull", "resolve"],
              ...(ca ? { ca: caPath } : {}),
            } satisfies HostEntry,
          ],
        ),
      });
  }
  if (docker && ca) files.push({ path: `${DOCKER_CERTS}/${host}/ca.crt`, content: ca });
  const ip = spec.service?.clusterIP ?? input.clusterIP;
  const svc = `${names.service}.${namespace}.svc`;
  const hosts = trust.hostsFile && ip && ip !== "None" ? [`${ip} ${svc} ${svc}.cluster.local`] : [];
  return { host, endpoint, files, hosts };
}
