// Runs one built Deployment's container the way a kubelet and a container runtime would, without
// either: its own network namespace (a pod IP; port 3000 is the pod's own), PID namespace (the
// container's command is PID 1: when it ends, the module it forked ends with it) and host name,
// and a root file system of its own (a tmpfs with the host's /usr and /lib read-only for the node
// base image, the controller image's /app/node_modules, the Deployment's Secret volumes read-only
// at their mount paths, the ServiceAccount token where the kubelet projects it). The command runs
// as the Deployment's user and group, with no capabilities and no privilege escalation, with only
// the Deployment's environment plus what a kubelet adds (KUBERNETES_SERVICE_*, HOSTNAME).
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { DeployedPod, MountedFile } from "./pods";

export type PodRun = {
  pod: DeployedPod;
  /** The pod's network namespace (see network.ts). */
  netns: string;
  /** A directory of the harness's own for this pod. */
  dir: string;
  imageNodeModules: string;
  /** What the kubelet projects at /var/run/secrets/kubernetes.io/serviceaccount. */
  token: { token: string; caCrt: string };
  apiServer: { host: string; port: number };
};

const TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Starts the pod's container; its output goes to `log` line by line. */
export function startPod(run: PodRun, log: (line: string) => void): ChildProcess {
  const { pod } = run;
  rmSync(run.dir, { recursive: true, force: true });
  const rootfs = join(run.dir, "rootfs");
  // The script below uses it unquoted ($r).
  if (!/^[\w./-]+$/.test(rootfs)) throw new Error(`unusable pod directory: ${rootfs}`);
  const volumes = join(run.dir, "volumes");
  // The volumes hold the webhook's private key and the token: the host sees them as root only.
  mkdirSync(run.dir, { recursive: true, mode: 0o700 });
  mkdirSync(rootfs);
  const files: MountedFile[] = [...pod.files];
  if (pod.mountToken)
    files.push(
      { path: `${TOKEN_DIR}/token`, content: Buffer.from(run.token.token), mode: 0o644 },
      { path: `${TOKEN_DIR}/ca.crt`, content: Buffer.from(run.token.caCrt), mode: 0o644 },
      { path: `${TOKEN_DIR}/namespace`, content: Buffer.from(pod.namespace), mode: 0o644 },
    );
  for (const f of files) {
    const at = join(volumes, f.path);
    mkdirSync(dirname(at), { recursive: true });
    writeFileSync(at, f.content);
    chmodSync(at, f.mode);
  }
  const mountDirs = [...new Set(files.map(f => dirname(f.path)))];
  const env = {
    ...pod.env,
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: "/",
    HOSTNAME: `${pod.deployment}-0`,
    KUBERNETES_SERVICE_HOST: run.apiServer.host,
    KUBERNETES_SERVICE_PORT: String(run.apiServer.port),
  };
  const script = [
    "set -eu",
    `hostname ${q(env.HOSTNAME)}`,
    `r=${q(rootfs)}`,
    "mount -t tmpfs -o mode=755 tmpfs $r",
    // The node base image's system: the host's, read-only.
    "for d in usr lib lib64 bin sbin; do",
    '  if [ -L /$d ]; then ln -s "$(readlink /$d)" $r/$d',
    "  elif [ -d /$d ]; then mkdir $r/$d; mount --rbind /$d $r/$d; mount -o remount,bind,ro $r/$d; fi",
    "done",
    "mkdir -p $r/dev $r/proc $r/tmp $r/etc $r/app/node_modules",
    "mount --rbind /dev $r/dev",
    "mount -t proc proc $r/proc",
    "mount -t tmpfs tmpfs $r/tmp && chmod 1777 $r/tmp",
    "for f in hosts resolv.conf nsswitch.conf passwd group; do [ -e /etc/$f ] && cp /etc/$f $r/etc/; done",
    // The image's WORKDIR, owned by its user (the controller writes the module there).
    `chown ${pod.user}:${pod.group} $r/app`,
    `mount --bind ${q(run.imageNodeModules)} $r/app/node_modules`,
    "mount -o remount,bind,ro $r/app/node_modules",
    ...mountDirs.flatMap(d => [
      `mkdir -p $r${q(d)}`,
      `mount --bind ${q(join(volumes, d))} $r${q(d)}`,
      `mount -o remount,bind,ro $r${q(d)}`,
    ]),
    [
      "exec chroot $r /usr/bin/setpriv",
      `--reuid ${pod.user} --regid ${pod.group} --clear-groups`,
      // Set after the user change, which clears it: the container's PID 1 (and with it every
      // process of the pod's PID namespace) dies with unshare, as --kill-child means.
      "--pdeathsig KILL",
      pod.restricted ? "--no-new-privs --bounding-set=-all --inh-caps=-all" : "",
      "/usr/bin/env -i -C /app",
      ...Object.entries(env).map(([k, v]) => q(`${k}=${v}`)),
      "node",
      ...pod.args.map(q),
    ].join(" "),
  ].join("\n");
  const child = spawn(
    // Should the harness itself be killed, its pods go with it.
    "setpriv",
    [
      "--pdeathsig",
      "KILL",
      "--",
      "ip",
      "netns",
      "exec",
      run.netns,
      "unshare",
      "--mount",
      "--propagation",
      "private",
      "--pid",
      "--uts",
      "--fork",
      // A pod's end: everything in it ends at once.
      "--kill-child",
      "sh",
      "-c",
      script,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      lines.forEach(log);
    });
  }
  return child;
}

/** Shell-quotes `s` (single quotes). */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
