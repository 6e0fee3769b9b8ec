import { createHash } from "node:crypto";
import { OBJECT_LABELS, OPERATOR_METRICS as O } from "../../telemetry/metric-names";
import type { RenderContext } from "../../render/context";
import { KUBELET_METRICS as K, REGISTRY_METRICS as R, TARGET_LABELS } from "./series";

/** A Grafana panel query: a PromQL expression and its legend. */
interface Target {
  expr: string;
  legendFormat: string;
}

const DATASOURCE = { type: "prometheus", uid: "${datasource}" };
const WIDTH = 24;
const HEIGHT = 8;

/** The dashboard's own selection of one registry: its variables, not this object's names. */
const SEL = `namespace="$namespace", ${TARGET_LABELS.registry}="$registry"`;
const OBJ = `kind=~"Registry|Cache", ${OBJECT_LABELS.namespace}="$namespace", ${OBJECT_LABELS.name}="$registry"`;
const rate = (metric: string, filter = "") => `rate(${metric}{${SEL}${filter}}[$__rate_interval])`;

/** The rows of panels: title, unit, queries. */
const PANELS: { title: string; unit: string; targets: Target[] }[] = [
  {
    title: "Pulls per second",
    unit: "reqps",
    targets: [
      {
        expr: `sum by (handler) (${rate(R.requests, ', method=~"get|head", handler=~"manifest|blob"')})`,
        legendFormat: "{{handler}}",
      },
    ],
  },
  {
    title: "Pushes per second",
    unit: "reqps",
    targets: [
      {
        expr: `sum by (handler) (${rate(R.requests, ', method="put", handler=~"manifest|blob_upload_chunk"')})`,
        legendFormat: "{{handler}}",
      },
    ],
  },
  {
    title: "Errors",
    unit: "percent",
    targets: [
      {
        expr: `100 * sum(${rate(R.requests, ', code=~"5.."')}) / sum(${rate(R.requests)})`,
        legendFormat: "5xx %",
      },
      {
        expr: `100 * sum(${rate(R.requests, ', code=~"4.."')}) / sum(${rate(R.requests)})`,
        legendFormat: "4xx %",
      },
    ],
  },
  {
    title: "Manifest latency",
    unit: "s",
    targets: [0.5, 0.9, 0.99].map(q => ({
      expr: `histogram_quantile(${q}, sum by (le) (${rate(R.duration, ', handler="manifest"')}))`,
      legendFormat: `p${q * 100}`,
    })),
  },
  {
    title: "Storage used (filesystem volumes)",
    unit: "bytes",
    targets: [
      {
        expr: `${K.volumeUsed}{namespace="$namespace", persistentvolumeclaim="$registry-data"}`,
        legendFormat: "used",
      },
      {
        expr: `${K.volumeCapacity}{namespace="$namespace", persistentvolumeclaim="$registry-data"}`,
        legendFormat: "capacity",
      },
    ],
  },
  {
    title: "Cache hit ratio",
    unit: "percentunit",
    targets: [
      {
        expr: `sum(${rate(R.proxyHits)}) / sum(${rate(R.proxyRequests)})`,
        legendFormat: "pull-through (Cache)",
      },
      {
        expr: `sum(${rate(R.descriptorCacheHits)}) / sum(${rate(R.descriptorCacheRequests)})`,
        legendFormat: "blob descriptors",
      },
    ],
  },
  {
    title: "Replicas",
    unit: "short",
    targets: [
      { expr: `sum(up{${SEL}})`, legendFormat: "scraped and up" },
      { expr: `sum(${R.inFlight}{${SEL}})`, legendFormat: "requests in flight" },
    ],
  },
  {
    title: "Operator",
    unit: "short",
    targets: [
      {
        expr: `sum by (condition) (${O.condition}{${OBJ}, status="True"})`,
        legendFormat: "{{condition}}",
      },
      {
        expr: `sum(increase(${O.objectReconcileErrors}{${OBJ}}[$__rate_interval]))`,
        legendFormat: "reconcile errors",
      },
      { expr: `sum by (kind) (${O.queueDepth})`, legendFormat: "queue {{kind}}" },
      {
        expr: `histogram_quantile(0.99, sum by (le) (rate(${O.reconcileDuration}_bucket[$__rate_interval])))`,
        legendFormat: "reconcile p99 (s)",
      },
    ],
  },
];

/** A Grafana `query` variable. */
const variable = (name: string, query: string, current: string) => ({
  name,
  label: name,
  type: "query",
  datasource: DATASOURCE,
  query: { query, refId: `${name}-values` },
  definition: query,
  refresh: 2,
  current: { text: current, value: current },
  includeAll: false,
  multi: false,
  sort: 1,
});

/** A dashboard uid (at most 40 characters): stable per registry, distinct between registries. */
const uid = ({ namespace, name, owner }: RenderContext) =>
  `registry-${createHash("sha256").update(`${owner.kind}/${namespace}/${name}`).digest("hex").slice(0, 24)}`;

/**
 * The Grafana dashboard of one registry (pure): traffic, errors, latency, storage, cache hit
 * ratio, replicas and the operator's view, templated by namespace and registry so it shows any
 * of them; opens on this one.
 */
export function dashboard(ctx: RenderContext): Record<string, unknown> {
  return {
    uid: uid(ctx),
    title: `${ctx.owner.kind} ${ctx.namespace}/${ctx.name}`,
    tags: ["registry-operator"],
    editable: true,
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    refresh: "1m",
    templating: {
      list: [
        {
          name: "datasource",
          label: "Data source",
          type: "datasource",
          query: "prometheus",
          current: {},
        },
        // From `up`: every scraped registry has it from its first scrape, requests or not.
        variable(
          "namespace",
          `label_values(up{${TARGET_LABELS.registry}!=""}, namespace)`,
          ctx.namespace,
        ),
        variable(
          "registry",
          `label_values(up{namespace="$namespace", ${TARGET_LABELS.registry}!=""}, ${TARGET_LABELS.registry})`,
          ctx.name,
        ),
      ],
    },
    panels: PANELS.map((p, i) => ({
      id: i + 1,
      type: "timeseries",
      title: p.title,
      datasource: DATASOURCE,
      gridPos: { x: (i % 2) * (WIDTH / 2), y: Math.floor(i / 2) * HEIGHT, w: WIDTH / 2, h: HEIGHT },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: { legend: { displayMode: "list", placement: "bottom" } },
      targets: p.targets.map((t, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: DATASOURCE,
        expr: t.expr,
        legendFormat: t.legendFormat,
      })),
    })),
  };
}
