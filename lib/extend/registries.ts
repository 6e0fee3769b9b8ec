import { GVK, type Cache, type Registry } from "../api/kinds";
import { K8s } from "../kube/client";
import { hostsOf, type HostOptions } from "./hosts";

/** How long a list of hosts is reused: one list per kind per 10 s, however many pods ask. */
const MAX_AGE_MS = 10_000;
let held: { at: number; key: string; hosts: Promise<Set<string>> } | undefined;

/**
 * Every host of {@link hostsOf} over the cluster's Registries and Caches, listed through the
 * admission connection pool and held for ten seconds. A failed list is thrown, not remembered.
 */
export function registryHosts(options: HostOptions = {}, now = Date.now()): Promise<Set<string>> {
  const key = JSON.stringify(options);
  if (held && held.key === key && now - held.at < MAX_AGE_MS) return held.hosts;
  const hosts = Promise.all([
    K8s<Registry>(GVK.Registry, { pool: "admission" }).Get(),
    K8s<Cache>(GVK.Cache, { pool: "admission" }).Get(),
  ]).then(([r, c]) => new Set([...r.items, ...c.items].flatMap(o => hostsOf(o, options))));
  const entry = { at: now, key, hosts };
  hosts.catch(() => {
    if (held === entry) held = undefined;
  });
  held = entry;
  return hosts;
}
