// Least privilege, both ways, over the whole test run: every request the module made as its
// ServiceAccount is in the API server's audit log (scripts/cluster/audit-policy.yaml). Fails when
// a request was refused (a missing grant, even one the code tolerated) and when a grant of the
// built ClusterRole was never used (more power than needed), except those listed below with why.
// Writes OUT_DIR/rbac.json: two checks in the test summary's form.
// Usage: node --import tsx rbac-usage.ts OUT_DIR AUDIT_LOG SINCE(ISO time)
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  granted,
  staleExceptions,
  unusedGrants,
  used,
  type ApiServerStart,
  type AuditEvent,
  API_SERVER_STARTS_FILE,
} from "../../test/support/rbac-usage";
import { MODULE_NAMESPACE } from "../../lib/api/operator-pods";
import { writeCheckResults } from "../../test/support/check-results";
import { moduleAccount, moduleManifest } from "../../test/support/module-manifest";

/** Grants no test (reliably) exercises, each with the reason it is still needed. */
const BEFORE_SYNC =
  "read by name before the kind's informer has synced (knownChild in lib/engine/apply.ts); in the tests the informers sync before any object of the kind exists";
const PRUNED =
  "a prunable child (lib/engine/kinds.ts), deleted when its owner stops rendering it; no test makes an owner drop one of this kind";
const OWNER_FINALIZERS =
  "blockOwnerDeletion on its children's owner references needs it where the OwnerReferencesPermissionEnforcement admission plugin is on (OpenShift); the API server checks it within the child's own request, and the test cluster does not enable the plugin";
const PUSH_SECRET =
  "an ImagePruner of a registry with authentication logs in with an ImagePushSecret it applies (and deletes with the pruner); no integration test prunes a registry with authentication";
const UNEXERCISED: Record<string, string> = {
  "create apiextensions.k8s.io/customresourcedefinitions":
    "the module installs its CRDs where a cluster lacks them (server-side apply creates them); the test cluster has them from scripts/cluster/up.sh",
  "get autoscaling/horizontalpodautoscalers": BEFORE_SYNC,
  "get discovery.k8s.io/endpointslices": BEFORE_SYNC,
  "get networking.k8s.io/ingresses": BEFORE_SYNC,
  "get networking.k8s.io/networkpolicies": BEFORE_SYNC,
  "get policy/poddisruptionbudgets": BEFORE_SYNC,
  "delete batch/cronjobs": PRUNED,
  "delete networking.k8s.io/ingresses": PRUNED,
  "delete batch/jobs":
    "the pruner deletes a garbage-collection Job it gave up on, or a finished one in the way of the next run (lib/controllers/pruner.ts); tests reach these only by timing",
  "create registry-operator.dev/imagepushsecrets": PUSH_SECRET,
  "patch registry-operator.dev/imagepushsecrets": PUSH_SECRET,
  "delete registry-operator.dev/imagepushsecrets": PUSH_SECRET,
  "update registry-operator.dev/registries/finalizers": OWNER_FINALIZERS,
  "update registry-operator.dev/caches/finalizers": OWNER_FINALIZERS,
  "update registry-operator.dev/imagepruners/finalizers": OWNER_FINALIZERS,
};

const [out, auditLog, since] = process.argv.slice(2);

async function main() {
  const docs = moduleManifest(join(out, "identity/module"));
  const account = moduleAccount(docs);
  const user = `system:serviceaccount:${MODULE_NAMESPACE}:${account}`;
  // The roles bound to that account, cluster-wide or in pepr-system.
  const bound = docs
    .filter(d => /RoleBinding$/.test(d.kind ?? ""))
    .filter(b => b.subjects?.some(s => s.kind === "ServiceAccount" && s.name === account))
    .map(b => b.roleRef!);
  const rules = docs
    .filter(d => bound.some(r => r.kind === d.kind && r.name === d.metadata?.name))
    .flatMap(d => d.rules ?? []);
  const grants = granted(rules);

  const events: AuditEvent[] = [];
  const lines = createInterface({ input: createReadStream(auditLog), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.includes(user)) continue;
    try {
      events.push(JSON.parse(line) as AuditEvent);
    } catch {
      // a line cut by a stopped API server
    }
  }
  const startsFile = join(out, API_SERVER_STARTS_FILE);
  const starts = existsSync(startsFile)
    ? (JSON.parse(readFileSync(startsFile, "utf8")) as ApiServerStart[])
    : [];
  const seen = used(events, user, since, starts);
  for (const k of seen.whileStarting)
    console.log(
      `[rbac-usage] refused while a restarted API server was starting (not counted): ${k}`,
    );
  const unused = unusedGrants(grants, seen.used, UNEXERCISED);
  const stale = staleExceptions(grants, UNEXERCISED);
  // An entry a run did use stays: these paths are reached by timing, or not by every run.
  for (const k of Object.keys(UNEXERCISED).filter(k => seen.used.has(k)))
    console.log(`[rbac-usage] listed as unexercised, used in this run: ${k}`);
  const checks = [
    {
      name: `no request of ${user} refused`,
      problems: seen.refused.map(k => `refused (403): ${k}`),
    },
    {
      name: "every grant of the built ClusterRole used, or listed with its reason",
      problems: [
        ...unused.map(k => `granted, never used in the test run: ${k}`),
        ...stale.map(k => `listed as unexercised but no longer granted: ${k}`),
      ],
    },
  ];
  writeCheckResults(join(out, "rbac.json"), "rbac", checks, {
    requests: events.length,
    grants: grants.size,
    used: [...seen.used].sort(),
  });
  console.log(
    `[rbac-usage] ${events.length} audited requests of ${user}; ${grants.size} grants, ${unused.length} unused, ${seen.refused.length} refused`,
  );
}

main().catch(err => {
  console.error(`[rbac-usage] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
