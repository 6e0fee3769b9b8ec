// The little of a cluster network the built module's pods need, on one machine: a network
// namespace per pod joined to the host by a veth pair (the pod IP), and for each Service a TCP
// forwarder on the Service's cluster IP and port to the pod's target port — what kube-proxy does.
// The API server dials a webhook Service at its cluster IP (the built webhook configurations name
// the Service, not a URL), so the configurations apply unchanged.
import { execFileSync, spawnSync } from "node:child_process";
import { connect, createServer, type Server } from "node:net";

const sh = (...args: string[]) => execFileSync(args[0], args.slice(1), { stdio: "pipe" });
const quiet = (...args: string[]) => {
  try {
    sh(...args);
  } catch {
    // already gone
  }
};

/**
 * An address of this host on its loopback interface that the pods reach through their default
 * route (their own 127.0.0.1 is not this host's), as pods reach a node's IP: where the tests serve
 * what the module connects to itself, such as a Redis it probes.
 */
export const NODE_ADDRESS = "10.244.0.1";

/** Adds `ip` to the host's loopback interface; returns a function that removes it. */
export function hostAddress(ip: string): () => void {
  quiet("ip", "addr", "del", `${ip}/32`, "dev", "lo");
  sh("ip", "addr", "add", `${ip}/32`, "dev", "lo");
  return () => quiet("ip", "addr", "del", `${ip}/32`, "dev", "lo");
}

export type PodNetwork = { netns: string; podIp: string; hostIp: string; hostLink: string };

/** The names and addresses of pod N: network namespace `ro-pod-N`, pod IP 10.244.N.2. */
export const podNetworkOf = (index: number): PodNetwork => ({
  netns: `ro-pod-${index}`,
  podIp: `10.244.${index}.2`,
  hostIp: `10.244.${index}.1`,
  hostLink: `ro-veth-${index}`,
});

/** Makes `net` (what an earlier run left of it is removed first). */
export function createPodNetwork(net: PodNetwork): void {
  removePodNetwork(net);
  sh("ip", "netns", "add", net.netns);
  sh("ip", "link", "add", net.hostLink, "type", "veth", "peer", "name", "eth0", "netns", net.netns);
  sh("ip", "addr", "add", `${net.hostIp}/30`, "dev", net.hostLink);
  sh("ip", "link", "set", net.hostLink, "up");
  const inPod = (...args: string[]) => sh("ip", "netns", "exec", net.netns, ...args);
  inPod("ip", "addr", "add", `${net.podIp}/30`, "dev", "eth0");
  inPod("ip", "link", "set", "eth0", "up");
  inPod("ip", "link", "set", "lo", "up");
  inPod("ip", "route", "add", "default", "via", net.hostIp);
}

export function removePodNetwork(net: PodNetwork): number {
  // Nothing of the pod may outlive it (a process keeps a deleted namespace alive, unreachable).
  const left = podProcesses(net);
  for (const pid of left) quiet("kill", "-KILL", String(pid));
  quiet("ip", "link", "del", net.hostLink);
  quiet("ip", "netns", "del", net.netns);
  return left.length;
}

/** The processes in the pod's network namespace (none once it is gone). */
export function podProcesses(net: PodNetwork): number[] {
  const r = spawnSync("ip", ["netns", "pids", net.netns], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n").filter(Boolean).map(Number) : [];
}

/**
 * Forwards TCP `ip:port` (a Service's cluster IP, added to the host's loopback interface) to
 * `target`. Returns a function that stops it and removes the address.
 */
export async function serviceForwarder(
  ip: string,
  port: number,
  target: { host: string; port: number },
): Promise<() => void> {
  const removeAddress = ip === "127.0.0.1" ? () => {} : hostAddress(ip);
  const server: Server = createServer(client => {
    const upstream = connect(target.port, target.host);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  try {
    await new Promise<void>((resolve, reject) =>
      server.once("error", reject).listen(port, ip, () => resolve()),
    );
  } catch (err) {
    removeAddress();
    throw err;
  }
  // A listening server's later errors (none expected) must not end the process unhandled.
  server.on("error", err => console.error(`[deployed] forwarder ${ip}:${port}: ${err.message}`));
  return () => {
    server.close();
    removeAddress();
  };
}
