// What a kubelet would set up for one container of a Deployment's pod template — files, env,
// security context, ports and probes — resolved against the objects it references. Pure: the
// referenced Secrets, ConfigMaps and claims come through `lookup`, from a cluster or from a render.

/** Finds a referenced object in the pod's namespace; undefined when it does not exist. */
export type Lookup = (
  kind: "Secret" | "ConfigMap" | "PersistentVolumeClaim",
  name: string,
) =>
  | {
      data?: Record<string, string>;
      binaryData?: Record<string, string>;
      metadata?: { uid?: string };
    }
  | undefined;

export interface PlannedFile {
  /** Relative to the volume's root. */
  path: string;
  content: Buffer;
  mode: number;
}

export type VolumeSource =
  | { type: "files"; files: PlannedFile[] }
  | {
      type: "dir";
      kind: "emptyDir" | "persistentVolumeClaim";
      /** The claim a persistentVolumeClaim volume names, as found (its uid is its identity). */
      claim?: { name: string; uid?: string };
    };

export interface PlannedMount {
  volume: string;
  mountPath: string;
  readOnly: boolean;
  subPath?: string;
  source: VolumeSource;
}

export interface HttpGetProbe {
  httpGet: { path?: string; port: number | string; scheme?: string };
}
export interface TcpProbe {
  tcpSocket: { port: number | string };
}
export type Probe = (HttpGetProbe | TcpProbe) & { timeoutSeconds?: number };

export interface PodSecurity {
  /** undefined: the image's user (root for the registry images). */
  runAsUser?: number;
  runAsGroup?: number;
  /** Supplementary groups: fsGroup and supplementalGroups. */
  groups: number[];
  fsGroup?: number;
  readOnlyRootFilesystem: boolean;
  noNewPrivileges: boolean;
  dropAllCapabilities: boolean;
}

export interface PodPlan {
  podName: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env: [string, string][];
  mounts: PlannedMount[];
  ports: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  security: PodSecurity;
  /**
   * How clients reach the API port in the cluster when it serves TLS: the Service's host:port
   * (which the certificate covers) and the CA bundle they trust.
   */
  serves?: { host: string; ca: string };
}

/** Thrown for a pod spec the kubelet itself would refuse to start. */
export class PodPlanError extends Error {}

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvEntry[];
  envFrom?: { prefix?: string; secretRef?: NameRef; configMapRef?: NameRef }[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: SecurityContext;
}
interface NameRef {
  name: string;
  optional?: boolean;
}
interface KeyRef extends NameRef {
  key: string;
}
interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef; [other: string]: unknown };
}
interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  supplementalGroups?: number[];
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
}
interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}
interface Volume {
  name: string;
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  emptyDir?: object;
  persistentVolumeClaim?: { claimName: string };
  [other: string]: unknown;
}
/** A Deployment or a StatefulSet (whose claim templates become claims per pod). */
export interface DeploymentLike {
  metadata: { name: string };
  spec: {
    volumeClaimTemplates?: { metadata: { name: string } }[];
    template: {
      metadata?: { annotations?: Record<string, string> };
      spec: {
        containers: Container[];
        volumes?: Volume[];
        securityContext?: SecurityContext;
      };
    };
  };
}

/** Key → bytes of a Secret (base64 data) or ConfigMap (text data, base64 binaryData). */
function objectData(kind: "Secret" | "ConfigMap", obj: ReturnType<Lookup>): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(obj?.data ?? {}))
    out.set(k, kind === "Secret" ? Buffer.from(v, "base64") : Buffer.from(v));
  for (const [k, v] of Object.entries(obj?.binaryData ?? {})) out.set(k, Buffer.from(v, "base64"));
  return out;
}

function referenced(lookup: Lookup, kind: "Secret" | "ConfigMap", ref: NameRef, what: string) {
  const obj = lookup(kind, ref.name);
  if (!obj && !ref.optional) throw new PodPlanError(`${what}: ${kind} ${ref.name} not found`);
  return objectData(kind, obj);
}

/** `$(NAME)` expands to an earlier variable's value; `$$` escapes, as in Kubernetes. */
function expand(value: string, env: Map<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name?: string) =>
    name === undefined ? "$" : (env.get(name) ?? m),
  );
}

function planEnv(c: Container, lookup: Lookup): [string, string][] {
  const env = new Map<string, string>();
  for (const from of c.envFrom ?? []) {
    const [kind, ref] = from.secretRef
      ? (["Secret", from.secretRef] as const)
      : (["ConfigMap", from.configMapRef!] as const);
    for (const [k, v] of referenced(lookup, kind, ref, "envFrom"))
      env.set(`${from.prefix ?? ""}${k}`, v.toString());
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      env.set(e.name, expand(e.value ?? "", env));
      continue;
    }
    const ref = e.valueFrom.secretKeyRef ?? e.valueFrom.configMapKeyRef;
    if (!ref) throw new PodPlanError(`env ${e.name}: only secretKeyRef/configMapKeyRef are run`);
    const kind = e.valueFrom.secretKeyRef ? "Secret" : "ConfigMap";
    const value = referenced(lookup, kind, ref, `env ${e.name}`).get(ref.key);
    if (value === undefined && !ref.optional)
      throw new PodPlanError(`env ${e.name}: ${kind} ${ref.name} has no key ${ref.key}`);
    if (value !== undefined) env.set(e.name, value.toString());
  }
  return [...env];
}

function projectFiles(
  data: Map<string, Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number,
  what: string,
): PlannedFile[] {
  if (!items) return [...data].map(([path, content]) => ({ path, content, mode: defaultMode }));
  return items.map(i => {
    const content = data.get(i.key);
    if (!content) throw new PodPlanError(`${what}: no key ${i.key}`);
    return { path: i.path, content, mode: i.mode ?? defaultMode };
  });
}

function planVolume(v: Volume, lookup: Lookup): VolumeSource {
  if (v.secret || v.configMap) {
    const kind = v.secret ? "Secret" : "ConfigMap";
    const src = (v.secret ?? v.configMap)!;
    const name = v.secret ? v.secret.secretName : v.configMap!.name;
    const data = referenced(lookup, kind, { name, optional: src.optional }, `volume ${v.name}`);
    return {
      type: "files",
      files: projectFiles(data, src.items, src.defaultMode ?? 0o644, `volume ${v.name}`),
    };
  }
  if (v.emptyDir) return { type: "dir", kind: "emptyDir" };
  if (v.persistentVolumeClaim) {
    const claim = v.persistentVolumeClaim.claimName;
    const found = lookup("PersistentVolumeClaim", claim);
    if (!found)
      throw new PodPlanError(`volume ${v.name}: PersistentVolumeClaim ${claim} not found`);
    return {
      type: "dir",
      kind: "persistentVolumeClaim",
      claim: { name: claim, uid: found.metadata?.uid },
    };
  }
  const kinds = Object.keys(v).filter(k => k !== "name");
  throw new PodPlanError(`volume ${v.name}: the harness does not run ${kinds.join(", ")} volumes`);
}

function planSecurity(pod: SecurityContext = {}, c: SecurityContext = {}): PodSecurity {
  const groups = [
    ...(pod.fsGroup !== undefined ? [pod.fsGroup] : []),
    ...(pod.supplementalGroups ?? []),
  ];
  return {
    runAsUser: c.runAsUser ?? pod.runAsUser,
    runAsGroup: c.runAsGroup ?? pod.runAsGroup,
    groups: [...new Set(groups)],
    fsGroup: pod.fsGroup,
    readOnlyRootFilesystem: c.readOnlyRootFilesystem === true,
    noNewPrivileges: c.allowPrivilegeEscalation === false,
    dropAllCapabilities: (c.capabilities?.drop ?? []).includes("ALL"),
  };
}

/** The plan for `containerName` (default: the first container) of a Deployment's pod. */
export function planPod(d: DeploymentLike, lookup: Lookup, containerName?: string): PodPlan {
  const pod = d.spec.template.spec;
  const c = containerName ? pod.containers.find(x => x.name === containerName) : pod.containers[0];
  if (!c) throw new PodPlanError(`Deployment ${d.metadata.name} has no container ${containerName}`);
  const volumes = new Map((pod.volumes ?? []).map(v => [v.name, v]));
  const claimTemplates = new Set((d.spec.volumeClaimTemplates ?? []).map(t => t.metadata.name));
  const mounts = (c.volumeMounts ?? []).map(m => {
    const v = volumes.get(m.name);
    if (!v && !claimTemplates.has(m.name))
      throw new PodPlanError(`volumeMount ${m.mountPath}: no volume named ${m.name}`);
    return {
      volume: m.name,
      mountPath: m.mountPath,
      readOnly: m.readOnly === true,
      subPath: m.subPath || undefined,
      source: v ? planVolume(v, lookup) : ({ type: "dir", kind: "persistentVolumeClaim" } as const),
    };
  });
  const env = planEnv(c, lookup);
  // The kubelet expands $(VAR) in command and args with the container's env.
  const vars = new Map(env);
  const expandAll = (xs?: string[]) => xs?.map(x => expand(x, vars));
  return {
    podName: `${d.metadata.name}-harness`,
    image: c.image,
    command: expandAll(c.command),
    args: expandAll(c.args),
    workingDir: c.workingDir,
    env,
    mounts,
    ports: c.ports ?? [],
    readinessProbe: c.readinessProbe,
    livenessProbe: c.livenessProbe,
    startupProbe: c.startupProbe,
    security: planSecurity(pod.securityContext, c.securityContext),
  };
}
