/** One `[host."…"]` table of a containerd hosts.toml. */
export interface HostEntry {
  /** scheme://host[:port] of the endpoint containerd connects to. */
  url: string;
  capabilities: ("pull" | "resolve" | "push")[];
  /** The CA file (node path) that verifies it; system roots when unset. */
  ca?: string;
}

// TOML basic strings take JSON's escapes.
const str = (v: string): string => JSON.stringify(v);

/**
 * A containerd hosts.toml (https://github.com/containerd/containerd/blob/main/docs/hosts.md):
 * `server` is the fallback containerd uses when every listed host fails; the hosts are tried in
 * order first.
 */
export function hostsToml(comment: string, server: string, hosts: HostEntry[]): string {
  return [
    ...comment.split("\n").map(l => `# ${l}`),
    `server = ${str(server)}`,
    ...hosts.flatMap(h => [
      "",
      `[host.${str(h.url)}]`,
      `  capabilities = [${h.capabilities.map(str).join(", ")}]`,
      ...(h.ca ? [`  ca = ${str(h.ca)}`] : []),
    ]),
    "",
  ].join("\n");
}
