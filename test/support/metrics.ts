import { get as httpsGet } from "node:https";
import { kubectlOk } from "./kubectl";
import { moduleEndpoints } from "./module-endpoints";

/** The module's own /metrics of its `pod` (the webhook server; its certificate is the module's). */
export function moduleMetrics(pod: "watcher" | "admission" = "watcher"): Promise<string> {
  return new Promise((resolve, reject) => {
    httpsGet(moduleEndpoints().metrics[pod], { rejectUnauthorized: false }, res => {
      let body = "";
      res.on("data", c => (body += c));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

/** The value of the series of `metric` whose labels include all of `labels`; 0 when there is none. */
export function sample(text: string, metric: string, labels: Record<string, string> = {}): number {
  const line = text
    .split("\n")
    .find(
      l =>
        (l.startsWith(`${metric}{`) || l.startsWith(`${metric} `)) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line ? Number(line.split(" ").pop()) : 0;
}

const LINE = /^apiserver_request_total\{(.*)\} (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/;

/**
 * Sums the API server's own request counter over the series matching `filter` (labels such as
 * verb, resource, subresource). Read from the API server's /metrics, so it counts what really
 * reached the server, whichever client sent it.
 */
export function apiRequests(filter: (labels: Record<string, string>) => boolean): number {
  let total = 0;
  for (const line of kubectlOk(["get", "--raw", "/metrics"]).split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...m[1].matchAll(/(\w+)="([^"]*)"/g)].map(x => [x[1], x[2]]),
    );
    if (filter(labels)) total += Number(m[2]);
  }
  return total;
}
