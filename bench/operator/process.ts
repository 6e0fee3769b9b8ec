// The module process (the node process `pepr dev` forks, which serves https://localhost:3000):
// finding it, and sampling its resident memory and sockets from /proc.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { deployedModule } from "../../test/support/module-endpoints";

interface TcpEntry {
  inode: string;
  localPort: number;
  remotePort: number;
  state: string;
}

function tcpTable(file: string): TcpEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .slice(1)
    .filter(l => l.trim())
    .map(l => {
      const f = l.trim().split(/\s+/);
      return {
        localPort: parseInt(f[1].split(":")[1], 16),
        remotePort: parseInt(f[2].split(":")[1], 16),
        state: f[3],
        inode: f[9],
      };
    });
}

const socketInodes = (pid: number): string[] => {
  const out: string[] = [];
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.push(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return out;
};

const LISTEN = "0A";
const ESTABLISHED = "01";

/** The pid of the process listening on TCP `port` (default 3000: the module's webhook server). */
export function findModulePid(port = 3000): number | undefined {
  const listening = new Set(
    [...tcpTable("/proc/net/tcp"), ...tcpTable("/proc/net/tcp6")]
      .filter(e => e.state === LISTEN && e.localPort === port)
      .map(e => e.inode),
  );
  if (!listening.size) return undefined;
  return findPid(pid => socketInodes(pid).some(i => listening.has(i)));
}

/** The first process `matches` (a process gone or unreadable meanwhile does not match). */
export function findPid(matches: (pid: number) => boolean): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (matches(pid)) return pid;
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

/**
 * The module process to measure and the API-server port its connections go to: the watcher of
 * scripts/operator-deployed.ts (it writes both to $MODULE_PROCESS_FILE: the pod reaches the API
 * server through the `kubernetes` Service's port), else the process listening on :3000 (`pepr
 * dev`), connecting to `apiPort`.
 */
export function moduleProcess(apiPort: number): { pid: number; apiPort: number } | undefined {
  const deployed = deployedModule();
  if (deployed) return { pid: deployed.pid, apiPort: deployed.apiPort };
  const pid = findModulePid();
  return pid ? { pid, apiPort } : undefined;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

export interface ProcessSample {
  at: number;
  rssMiB: number;
  /** Socket file descriptors of any kind. */
  sockets: number;
  /** Established TCP connections to the API server's port. */
  apiConnections: number;
  /** TCP connections to the API server's port in any state. */
  apiConnectionsAnyState: number;
}

export function sampleProcess(pid: number, apiPort: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const inodes = new Set(socketInodes(pid));
  const tcp = [...tcpTable(`/proc/${pid}/net/tcp`), ...tcpTable(`/proc/${pid}/net/tcp6`)].filter(
    e => inodes.has(e.inode) && e.remotePort === apiPort,
  );
  return {
    at: Date.now(),
    rssMiB: Math.round((rssKiB / 1024) * 10) / 10,
    sockets: inodes.size,
    apiConnections: tcp.filter(e => e.state === ESTABLISHED).length,
    apiConnectionsAnyState: tcp.length,
  };
}

/** Samples `pid` every `everyMs` until stopped; keeps every sample. */
export function sampler(pid: number, apiPort: number, everyMs = 5_000) {
  const samples: ProcessSample[] = [];
  const take = () => {
    try {
      samples.push(sampleProcess(pid, apiPort));
    } catch {
      // the process is gone; the caller notices
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
    peakRss: () => Math.max(0, ...samples.map(s => s.rssMiB)),
  };
}

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
