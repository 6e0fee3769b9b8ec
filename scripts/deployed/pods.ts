// What the built module's Deployments ask a kubelet to run, read from the manifest `pepr build`
// writes: per Deployment, its one container's command line, environment, user and mounted files
// (Secret volumes resolved from the Secrets in the same manifest, as the kubelet would project them).

type Doc = {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string>;
  spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } };
};
type Volume = {
  name: string;
  secret?: { secretName: string; defaultMode?: number; items?: unknown; optional?: boolean };
};
type Container = {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: unknown[];
  ports?: { containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: number; scheme?: string } };
  securityContext?: ContainerSecurity;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
};
type ContainerSecurity = {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
};
type PodSpec = {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: ContainerSecurity & { fsGroup?: number };
  containers: Container[];
  volumes?: Volume[];
};

/** A file a volume puts into the container: path inside it, content, mode. */
export type MountedFile = { path: string; content: Buffer; mode: number };

export type DeployedPod = {
  deployment: string;
  namespace: string;
  /** The pod template's labels: what Services select. */
  labels: Record<string, string>;
  image: string;
  /** The container's argv after the image's entrypoint (`node`). */
  args: string[];
  env: Record<string, string>;
  user: number;
  group: number;
  /** Drops every capability and forbids privilege escalation. */
  restricted: boolean;
  files: MountedFile[];
  serviceAccount: string;
  mountToken: boolean;
  readiness: { path: string; port: number };
};

export type BuiltManifest = { docs: Doc[]; pods: DeployedPod[] };

/** The manifest's documents (`moduleManifest`) and the pods its Deployments run. */
export function readBuiltManifest(manifest: object[]): BuiltManifest {
  const docs = manifest as Doc[];
  const secrets = new Map(
    docs.filter(d => d.kind === "Secret").map(d => [d.metadata?.name ?? "", d.data ?? {}]),
  );
  const pods = docs.filter(d => d.kind === "Deployment").map(d => podOf(d, secrets));
  return { docs, pods };
}

function podOf(deployment: Doc, secrets: Map<string, Record<string, string>>): DeployedPod {
  const name = deployment.metadata?.name ?? "";
  const spec = deployment.spec?.template?.spec;
  if (!spec || spec.containers.length !== 1)
    throw new Error(`Deployment ${name}: expected one container`);
  const [c] = spec.containers;
  if (c.command) throw new Error(`Deployment ${name}: a command replaces the image's entrypoint`);
  const security = { ...spec.securityContext, ...c.securityContext };
  if (security.runAsUser === undefined || !security.runAsNonRoot)
    throw new Error(`Deployment ${name}: no non-root user set`);
  // What the harness does not resolve is refused, not silently dropped.
  if (c.envFrom?.length || c.env?.some(e => e.valueFrom))
    throw new Error(`Deployment ${name}: env from other objects is not supported here`);
  const probe = c.readinessProbe?.httpGet;
  if (!probe || probe.scheme !== "HTTPS")
    throw new Error(`Deployment ${name}: no HTTPS readiness probe`);
  return {
    deployment: name,
    namespace: deployment.metadata?.namespace ?? "default",
    labels: deployment.spec?.template?.metadata?.labels ?? {},
    image: c.image,
    args: c.args ?? [],
    env: Object.fromEntries((c.env ?? []).map(e => [e.name, e.value ?? ""])),
    user: security.runAsUser,
    group: security.runAsGroup ?? security.runAsUser,
    restricted:
      security.allowPrivilegeEscalation === false &&
      (security.capabilities?.drop ?? []).includes("ALL"),
    files: (c.volumeMounts ?? []).flatMap(m => mountedFiles(name, m, spec.volumes ?? [], secrets)),
    serviceAccount: spec.serviceAccountName ?? "default",
    mountToken: spec.automountServiceAccountToken !== false,
    readiness: { path: probe.path, port: probe.port },
  };
}

function mountedFiles(
  deployment: string,
  mount: { name: string; mountPath: string; subPath?: string },
  volumes: Volume[],
  secrets: Map<string, Record<string, string>>,
): MountedFile[] {
  const volume = volumes.find(v => v.name === mount.name);
  if (!volume?.secret)
    throw new Error(`Deployment ${deployment}: volume ${mount.name} is not a Secret volume`);
  if (mount.subPath || volume.secret.items || volume.secret.optional)
    throw new Error(
      `Deployment ${deployment}: volume ${mount.name} uses subPath, items or optional, not supported here`,
    );
  const data = secrets.get(volume.secret.secretName);
  if (!data)
    throw new Error(
      `Deployment ${deployment}: Secret ${volume.secret.secretName} is not in the manifest`,
    );
  // The kubelet's default for Secret volumes: 0644.
  const mode = volume.secret.defaultMode ?? 0o644;
  return Object.entries(data).map(([key, value]) => ({
    path: `${mount.mountPath}/${key}`,
    content: Buffer.from(value, "base64"),
    mode,
  }));
}
