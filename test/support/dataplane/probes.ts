// Runs a container probe against a running server the way the kubelet does: httpGet succeeds on
// a status from 200 to 399, tcpSocket on an accepted connection. Named ports resolve through the
// container's declared ports, so a probe naming an undeclared port fails as it would in a pod.
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
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
    const status = await httpStatus(url, timeoutMs);
    const success = status >= 200 && status < 400;
    return { success, message: `GET ${path} on port ${port}: ${status}` };
  } catch (err) {
    return { success: false, message: `GET ${url}: ${(err as Error).message}` };
  }
}

/** The status of a GET; over HTTPS without verifying the certificate, as the kubelet probes. */
function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith("https:") ? httpsGet : httpGet;
    const req = get(url, { timeout: timeoutMs, rejectUnauthorized: false }, res => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
  });
}
