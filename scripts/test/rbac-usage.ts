// Least privilege, both ways, over the whole test run: every request the module made as its
// ServiceAccount is in the API server's audit log (scripts/cluster/audit-policy.yaml). Fails when
// a request was refused (a missing grant, even one the code tolerated) and when a grant of the
// built ClusterRole was never used (more power than needed), except those listed below with why.
// Writes OUT_DIR/rbac.json: two checks in the test summary's form.
// Usage: node --import tsx rbac-usage.ts OUT_DIR AUDIT_LOG SINCE(ISO time)
import { createReadStream, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseAllDocuments } from "yaml";
import {
  granted,
  staleExceptions,
  unusedGrants,
  used,
  type AuditEvent,
  type Rule,
} from "../../test/support/rbac-usage";
import { writeCheckResults } from "../../test/support/check-results";

/** Grants no test exercises, each with the reason it is still needed. */
const UNEXERCISED: Record<string, string> = {};

const [out, auditLog, since] = process.argv.slice(2);
type Doc = {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
  spec?: { template?: { spec?: { serviceAccountName?: string } } };
};

async function main() {
  const manifest = join(out, "identity/module/pepr-module-registry-operator.yaml");
  const docs = parseAllDocuments(readFileSync(manifest, "utf8")).map(d => d.toJS() as Doc);
  const watcher = docs.find(
    d => d?.kind === "Deployment" && d.metadata?.name?.endsWith("-watcher"),
  );
  const account = watcher?.spec?.template?.spec?.serviceAccountName;
  if (!account) throw new Error(`${manifest}: no watcher Deployment naming its ServiceAccount`);
  const user = `system:serviceaccount:pepr-system:${account}`;
  // The roles bound to that account, cluster-wide or in pepr-system.
  const bound = docs
    .filter(d => /RoleBinding$/.test(d?.kind ?? ""))
    .filter(b => b.subjects?.some(s => s.kind === "ServiceAccount" && s.name === account))
    .map(b => b.roleRef!);
  const rules = docs
    .filter(d => bound.some(r => r.kind === d?.kind && r.name === d.metadata?.name))
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
  const seen = used(events, user, since);
  const unused = unusedGrants(grants, seen.used, UNEXERCISED);
  const stale = staleExceptions(grants, seen.used, UNEXERCISED);
  const checks = [
    {
      name: `no request of ${user} refused`,
      problems: seen.refused.map(k => `refused (403): ${k}`),
    },
    {
      name: "every grant of the built ClusterRole used, or listed with its reason",
      problems: [
        ...unused.map(k => `granted, never used in the test run: ${k}`),
        ...stale.map(k => `listed as unexercised but used or no longer granted: ${k}`),
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
