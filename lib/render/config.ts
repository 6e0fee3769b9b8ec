import type { RenderContext } from "./context";
import { stringify } from "yaml";
import type { RegistrySpec } from "../api/registry-spec";
import { storageDriver } from "../dependencies/storage/index";

/** Container ports: the API, and the debug server (health, Prometheus metrics) kept off the Service. */
export const PORTS = { http: 5000, debug: 5001 } as const;

/**
 * A leaving pod's timeline, within Kubernetes' default 30 s grace period: preStop waits while
 * the pod is taken out of the Service's endpoints (kube-proxy still sends it new connections
 * meanwhile), then the server stops accepting and lets requests in flight finish.
 */
export const PRESTOP_SECONDS = 5;
export const DRAIN_TIMEOUT = "20s";

/**
 * The registry's config.yml as an object. It holds no secret: the shared http.secret and storage
 * credentials reach the container through env from Secrets. v2.8 and v3 read the same keys for
 * everything rendered here but the sections passed in (redis, proxy), which the caller renders
 * for the format.
 */
export function registryConfig(
  ctx: RenderContext,
  sections: Record<string, unknown> = {},
): Record<string, unknown> {
  const spec: RegistrySpec = ctx.spec;
  const { driver } = storageDriver(spec);
  const { health, http, readOnly, headers, ...rest } = sections;
  return {
    version: 0.1,
    log: {
      level: spec.config?.log?.level ?? "info",
      formatter: spec.config?.log?.formatter ?? "text",
      fields: { service: "registry" },
    },
    storage: {
      ...driver.config(ctx),
      delete: { enabled: true },
      // Blob descriptors (digest → size, media type) in Redis are shared by every replica.
      cache: { blobdescriptor: spec.redis?.managed || spec.redis?.external ? "redis" : "inmemory" },
      // Also keeps secrets off registry 3.1's /debug/vars: with Redis set, 3.1 publishes its
      // parsed configuration (env overrides included) there, unless the encoding fails, which a
      // nested map in a storage section makes it do. Guarded by the registry-redis-tls test.
      maintenance: {
        uploadpurging: { enabled: true, age: "168h", interval: "24h", dryrun: false },
        // Garbage collection runs only while no push can race it (see the ImagePruner).
        ...(readOnly ? { readonly: { enabled: true } } : {}),
      },
    },
    http: {
      addr: `:${PORTS.http}`,
      // On SIGTERM, requests in flight finish (within the pod's grace period, after preStop).
      draintimeout: DRAIN_TIMEOUT,
      // The user's own (spec.config.http.headers) win over the UI's CORS headers.
      headers: {
        "X-Content-Type-Options": ["nosniff"],
        ...(headers as Record<string, string[]> | undefined),
        ...spec.config?.http?.headers,
      },
      debug: { addr: `:${PORTS.debug}`, prometheus: { enabled: true, path: "/metrics" } },
      ...(http as Record<string, unknown> | undefined),
    },
    health: {
      storagedriver: { enabled: true, interval: "10s", threshold: 3 },
      ...(health as Record<string, unknown> | undefined),
    },
    ...rest,
  };
}

export function registryConfigYaml(
  ctx: RenderContext,
  sections: Record<string, unknown> = {},
): string {
  return stringify(registryConfig(ctx, sections), { lineWidth: 0 });
}
