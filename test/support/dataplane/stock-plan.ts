// A registry as its upstream image runs it, without the operator: the image's own user (root),
// a config file at the image's path and a data directory. For the benchmark's "stock" side and
// for upstream registries in front of which the tests put caches.
import type { PodPlan } from "./pod-plan";

export interface StockOptions {
  /** config.yml's text. */
  config: string;
  /** More files beside config.yml (an htpasswd file). */
  files?: Record<string, string>;
  /** Where the image reads its config (v3: /etc/distribution). */
  configDir?: string;
}

export function stockPlan(image: string, o: StockOptions): PodPlan {
  const files = Object.entries({ "config.yml": o.config, ...o.files }).map(([path, text]) => ({
    path,
    content: Buffer.from(text),
    mode: 0o644,
  }));
  return {
    podName: "stock",
    image,
    env: [],
    mounts: [
      {
        volume: "config",
        mountPath: o.configDir ?? "/etc/distribution",
        readOnly: true,
        source: { type: "files", files },
      },
      {
        volume: "data",
        mountPath: "/var/lib/registry",
        readOnly: false,
        source: { type: "dir", kind: "emptyDir" },
      },
    ],
    ports: [{ containerPort: 5000 }, { containerPort: 5001 }],
    security: {
      groups: [],
      readOnlyRootFilesystem: false,
      noNewPrivileges: false,
      dropAllCapabilities: false,
    },
  };
}

/** A plain upstream registry config: filesystem storage, optionally htpasswd auth. */
export function upstreamConfig(htpasswd?: boolean): string {
  return [
    "version: 0.1",
    "log: { level: info }",
    "storage: { filesystem: { rootdirectory: /var/lib/registry }, delete: { enabled: true } }",
    "http: { addr: ':5000' }",
    ...(htpasswd
      ? ["auth: { htpasswd: { realm: upstream, path: /etc/distribution/htpasswd } }"]
      : []),
  ].join("\n");
}
