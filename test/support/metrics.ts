import { kubectlOk } from "./kubectl";

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
