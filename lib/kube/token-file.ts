import { readFileSync, statSync } from "node:fs";

/**
 * The in-cluster service-account token file, re-read whenever it changes: the kubelet rotates
 * projected tokens by swapping the file. Its mtime is checked at most once a second, so a request
 * costs no read. (A kubeconfig user's `tokenFile` is read once, by @kubernetes/client-node.)
 */
export function tokenFileReader(path: string, now = Date.now): () => string {
  let token = "";
  let mtime = -1;
  let checked = -Infinity;
  return () => {
    if (now() - checked < 1000) return token;
    checked = now();
    const m = statSync(path).mtimeMs;
    if (m !== mtime) {
      token = readFileSync(path, "utf8").trim();
      mtime = m;
    }
    return token;
  };
}
