// Runs a container probe against a running server the way the kubelet does: httpGet succeeds on
// a status from 200 to 399, tcpSocket on an accepted connection. Named ports resolve through the
// container's declared ports, so a probe naming an undeclared port fails as it would in a pod.
import { connect } from "node:net";
import type { Probe } from "./pod-plan";

export interface ProbeTarget {
  port(containerPort: number | string): number;
}

export interface ProbeResult {
  success: boolean;
  message: string;
}

function tcp(port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise(resolve => {
    const sock = connect({ host: "127.0.0.1", port, timeout: timeoutMs });
    sock.once("connect", () => {
      sock.destroy();
      resolve({ success: true, message: `tcp ${port}: connected` });
    });
    sock.once("timeout", () => {
      sock.destroy();
      resolve({ success: false, message: `tcp ${port}: timed out` });
    });
    sock.once("error", err => resolve({ success: false, message: `tcp ${port}: ${err.message}` }));
  });
}

export async function runProbe(target: ProbeTarget, probe: Probe): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  let port: number;
  try {
    port = target.port("httpGet" in probe ? probe.httpGet.port : probe.tcpSocket.port);
  } catch (err) {
    return { success: false, message: (err as Error).message };
  }
  if ("tcpSocket" in probe) return tcp(port, timeoutMs);
  const { path = "/", scheme = "HTTP" } = probe.httpGet;
  const url = `${scheme.toLowerCase()}://127.0.0.1:${port}${path}`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.arrayBuffer();
    const success = res.status >= 200 && res.status < 400;
    return { success, message: `GET ${path} on port ${port}: ${res.status}` };
  } catch (err) {
    return { success: false, message: `GET ${url}: ${(err as Error).message}` };
  }
}
