import { readFileSync } from "node:fs";
import type { KubeConfig } from "@kubernetes/client-node";
import { tokenFileReader } from "./token-file";

/** Where the API server is and how to prove who we are: read once per process. */
export interface Connection {
  server: URL;
  tls: {
    ca?: Buffer;
    cert?: Buffer;
    key?: Buffer;
    rejectUnauthorized?: boolean;
    servername?: string;
  };
  /** Headers that authenticate one request (fresh for rotating credentials). */
  authHeaders(): Promise<Record<string, string>>;
}

type User = NonNullable<ReturnType<KubeConfig["getCurrentUser"]>>;

function authenticator(kc: KubeConfig, user: User | null): Connection["authHeaders"] {
  const tokenFile = (user?.authProvider?.config as { tokenFile?: string } | undefined)?.tokenFile;
  if (tokenFile) {
    const read = tokenFileReader(tokenFile);
    return async () => ({ Authorization: `Bearer ${read()}` });
  }
  if (user?.token) {
    const header = { Authorization: `Bearer ${user.token}` };
    return async () => header;
  }
  if (user?.username) {
    const basic = Buffer.from(`${user.username}:${user.password ?? ""}`).toString("base64");
    const header = { Authorization: `Basic ${basic}` };
    return async () => header;
  }
  if (user?.exec || user?.authProvider) {
    // exec plugins and other auth providers cache and refresh their own credentials.
    return async () => {
      const opts: { headers?: Record<string, string>; auth?: string } = { headers: {} };
      await kc.applyToHTTPSOptions(opts);
      return { ...(opts.headers ?? {}) };
    };
  }
  return async () => ({}); // client certificates alone
}

/** Reads the kubeconfig (or the in-cluster service account) the way kubectl and Pepr find it. */
export function loadConnection(kc = defaultKubeConfig()): Connection {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("no current cluster in the kubeconfig");
  const user = kc.getCurrentUser();
  const file = (path?: string, data?: string) =>
    path ? readFileSync(path) : data ? Buffer.from(data, "base64") : undefined;
  return {
    server: new URL(cluster.server),
    tls: {
      ca: file(cluster.caFile, cluster.caData),
      cert: file(user?.certFile, user?.certData),
      key: file(user?.keyFile, user?.keyData),
      ...(cluster.skipTLSVerify ? { rejectUnauthorized: false } : {}),
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    },
    authHeaders: authenticator(kc, user),
  };
}

function defaultKubeConfig(): KubeConfig {
  // Loaded on first use: the package is an ES module, which jest's module loader cannot load, and
  // only a running module needs it.
  const { KubeConfig } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("@kubernetes/client-node") as typeof import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}
