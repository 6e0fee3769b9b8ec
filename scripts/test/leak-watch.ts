// Watches the cluster for the whole integration run and, when stopped (SIGTERM), checks that no
// value of the operator's Secrets appeared in the module's log, Events, ConfigMaps, the status or
// annotations of any object, or the other objects the operator writes (pod templates included).
// Writes OUT_DIR/leaks.json: two checks (module log, cluster objects) in the test summary's form.
// Usage: node --import tsx leak-watch.ts OUT_DIR   (KUBECONFIG names the cluster; the log is OUT_DIR/operator.log)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import { LeakIndex, type Leak } from "../../test/support/leaks";
import { writeCheckResults } from "../../test/support/check-results";

const out = process.argv[2];
const OURS = "app.kubernetes.io/managed-by=registry-operator";
const GROUP = "/apis/registry-operator.dev/v1alpha1";
// Every object of these is a sink; `ours` limits a path to what the operator labels.
const SINKS: { path: string; ours?: boolean }[] = [
  { path: "/api/v1/events" },
  { path: "/api/v1/configmaps" },
  ...["registries", "registrytemplates", "caches", "imagepullsecrets", "imagepushsecrets"]
    .concat("imagepruners")
    .map(r => ({ path: `${GROUP}/${r}` })),
  ...[
    "/api/v1/services",
    "/api/v1/pods",
    "/api/v1/serviceaccounts",
    "/apis/apps/v1/deployments",
    "/apis/apps/v1/statefulsets",
    "/apis/apps/v1/daemonsets",
    "/apis/batch/v1/jobs",
    "/apis/batch/v1/cronjobs",
    "/apis/networking.k8s.io/v1/ingresses",
    "/apis/networking.k8s.io/v1/networkpolicies",
    "/apis/policy/v1/poddisruptionbudgets",
  ].map(path => ({ path, ours: true })),
];

type Obj = {
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    annotations?: unknown;
    managedFields?: { manager?: string }[];
  };
  data?: Record<string, string>;
};
const id = (o: Obj) => `${o.kind ?? "?"} ${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

const kc = new KubeConfig();
kc.loadFromDefault();
const watch = new Watch(kc);
const index = new LeakIndex();
const controllers: AbortController[] = [];
let stopping = false;

function follow(path: string, query: Record<string, string>, seen: (o: Obj) => void): void {
  const start = () =>
    watch
      .watch(
        path,
        query,
        (_phase, o: Obj) => seen(o),
        () => {
          if (!stopping) setTimeout(start, 1000);
        },
      )
      .then(c => controllers.push(c))
      .catch(() => !stopping && setTimeout(start, 1000));
  void start();
}

// A Secret a test writes with our labels by hand (a forged account) is not one of ours: its
// values are the test's, and kubectl records them in an annotation.
const writtenByHand = (s: Obj) =>
  !!s.metadata?.managedFields?.length &&
  s.metadata.managedFields.every(f => f.manager?.startsWith("kubectl"));

follow("/api/v1/secrets", { labelSelector: OURS }, s => {
  if (writtenByHand(s)) return;
  index.addSecret(`${s.metadata?.namespace}/${s.metadata?.name}`, s.data);
  index.addSink(
    `annotations of ${id({ ...s, kind: "Secret" })}`,
    JSON.stringify(s.metadata?.annotations ?? {}),
  );
});
for (const { path, ours } of SINKS)
  follow(path, ours ? { labelSelector: OURS } : {}, o => {
    // Who wrote which field is no sink, and by far the bulkiest part.
    index.addSink(
      id(o),
      JSON.stringify(o, (k, v: unknown) => (k === "managedFields" ? undefined : v)),
    );
  });

const describe = (leaks: Leak[]) =>
  leaks.slice(0, 20).map(l => `key ${l.key} of Secret ${l.secret} appears in ${l.sink}`);

process.on("SIGTERM", () => {
  stopping = true;
  for (const c of controllers) c.abort();
  const clusterLeaks = index.leaks();
  const objects = { secrets: index.secretCount, sinks: index.sinkCount };
  const log = join(out, "operator.log");
  const logIndex = new LeakIndex();
  // The same values against the logs alone, so each check says where a leak is (the fault
  // suites' module writes a log of its own).
  for (const file of readdirSync(out).filter(f => f.endsWith("operator.log")))
    logIndex.addSink(`the module log ${file}`, readFileSync(join(out, file), "utf8"));
  const checks = [
    {
      name: "no secret value in Events, ConfigMaps, status, annotations or written objects",
      problems: [
        ...(objects.secrets && objects.sinks
          ? []
          : [`nothing watched: ${JSON.stringify(objects)}`]),
        ...describe(clusterLeaks),
      ],
    },
    {
      name: "no secret value in the module log",
      problems: [
        ...(existsSync(log) ? [] : [`no module log at ${log}`]),
        ...describe(index.leaksIn(logIndex)),
      ],
    },
  ];
  writeCheckResults(join(out, "leaks.json"), "leak", checks, { objects });
  console.log(
    `leak check: ${objects.secrets} Secret versions against ${objects.sinks} object versions and the module log`,
  );
  process.exit(0);
});
