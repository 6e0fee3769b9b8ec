import { metricsCollector } from "pepr";
// The module's metrics are registered before the first scrape, whoever imports them.
import { operatorMetrics } from "./registry-metrics";

/**
 * Serves the operator's metrics on the module's /metrics, after Pepr's own. Pepr 1.1.4 keeps its
 * prom-client registry private and answers /metrics with `metricsCollector.getMetrics()`, a
 * replaceable property of the one collector its server uses: it is wrapped here, once.
 */
export function serveOperatorMetrics(): void {
  if ((metricsCollector.getMetrics as { operator?: true }).operator) return;
  const pepr = metricsCollector.getMetrics.bind(metricsCollector);
  const both = async () => `${(await pepr()).trimEnd()}\n${await operatorMetrics.metrics()}`;
  metricsCollector.getMetrics = Object.assign(both, { operator: true as const });
}
