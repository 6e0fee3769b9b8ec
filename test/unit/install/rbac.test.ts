import { readFileSync } from "node:fs";
import { join } from "node:path";
import { customResourceDefinitions } from "../../../lib/api/crds";
import { expectedRbac } from "../../../lib/engine/kinds";
import { uncovered, type Rule } from "../../support/rbac";

const rules: Rule[] = JSON.parse(readFileSync(join(__dirname, "../../../package.json"), "utf8"))
  .pepr.rbac;
const grants = (resource: string, verb: string) =>
  rules.filter(r => r.resources.includes(resource) && r.verbs.includes(verb));

describe("the module's ClusterRole (package.json pepr.rbac)", () => {
  it("may set blockOwnerDeletion on children (OpenShift's OwnerReferencesPermissionEnforcement)", () => {
    expect(grants("registries/finalizers", "update")).toHaveLength(1);
    expect(grants("caches/finalizers", "update")).toHaveLength(1);
  });

  it("may create, read and patch only the CRDs it installs, by name: its own and Pepr's store", () => {
    // Both install with server-side apply, which names the CRD, so even create can be limited by
    // name; Pepr merges the rights it needs for its store into this rule instead of adding its own.
    const names = [...customResourceDefinitions().map(c => c.metadata.name), "peprstores.pepr.dev"];
    for (const verb of ["create", "get", "patch"]) {
      const [rule, ...more] = grants("customresourcedefinitions", verb);
      expect(more).toEqual([]);
      expect([...(rule.resourceNames ?? [])].sort()).toEqual([...names].sort());
    }
    expect(
      rules.filter(r => r.resources.some(res => res.startsWith("customresourcedefinitions/"))),
    ).toEqual([]);
  });
});

describe("the kind table (lib/engine/kinds.ts)", () => {
  it("is covered by package.json pepr.rbac: every verb on every kind the operator uses", () => {
    expect(uncovered(rules, expectedRbac())).toEqual([]);
  });

  it("names what a new kind still needs in pepr.rbac", () => {
    const monitor = {
      apiGroups: ["monitoring.coreos.com"],
      resources: ["podmonitors"],
      verbs: ["get"],
    };
    expect(uncovered(rules, [...expectedRbac(), monitor])).toEqual([
      "monitoring.coreos.com/podmonitors: get",
    ]);
  });
});
