import { GVK, type Cache, type Registry } from "../api/kinds";
import { K8s } from "../kube/client";
import { hostsOf } from "./hosts";

/** How long a list of hosts is reused: one list per kind per 10 s, however many pods ask. */
const MAX_AGE_MS = 10_000;
let held: { at: number; hosts: Promise<Set<string>> } | undefined;

/**
 * Every host of {@link hostsOf} over the cluster's Registries and Caches, listed through the
 * admission connection pool and held for ten seconds. A failed list is thrown, not remembered.
 */
export function registryHosts(now = Date.now()): Promise<Set<string>> {
  if (held && now - held.at < MAX_AGE_MS) return held.hosts;
  const hosts = Promise.all([
    K8s<Registry>(GVK.Registry, { pool: "admission" }).Get(),
    K8s<Cache>(GVK.Cache, { pool: "admission" }).Get(),
  ]).then(([r, c]) => new Set([...r.items, ...c.items].flatMap(hostsOf)));
  const entry = { at: now, hosts };
  hosts.catch(() => {
    if (held === entry) held = undefined;
  });
  held = entry;
  return hosts;
}
