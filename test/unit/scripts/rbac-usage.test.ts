import {
  granted,
  staleExceptions,
  unusedGrants,
  used,
  type AuditEvent,
} from "../../support/rbac-usage";

const USER = "system:serviceaccount:pepr-system:pepr-registry-operator";
const at = (t: string) => `2026-12-02T01:${t}.000000Z`;
const event = (e: Partial<AuditEvent> & { verb: string; resource: string; group?: string }) => ({
  stage: "ResponseComplete",
  verb: e.verb,
  user: { username: e.user?.username ?? USER },
  objectRef: {
    apiGroup: e.group ?? "",
    resource: e.resource,
    subresource: e.objectRef?.subresource,
  },
  responseStatus: { code: e.responseStatus?.code ?? 200 },
  requestReceivedTimestamp: e.requestReceivedTimestamp ?? at("30:00"),
});

describe("the module's requests against its grants (scripts/test/rbac-usage.ts)", () => {
  const grants = granted([
    { apiGroups: [""], resources: ["secrets", "services"], verbs: ["get", "create"] },
    { apiGroups: ["registry-operator.dev"], resources: ["registries/status"], verbs: ["patch"] },
  ]);

  it("expands rules to verb × group × resource", () => {
    expect([...grants].sort()).toEqual([
      "create /secrets",
      "create /services",
      "get /secrets",
      "get /services",
      "patch registry-operator.dev/registries/status",
    ]);
  });

  it("counts the account's answered requests since the run began, subresources by path", () => {
    const seen = used(
      [
        event({ verb: "get", resource: "secrets" }),
        event({ verb: "create", resource: "services", requestReceivedTimestamp: at("10:00") }),
        event({ verb: "create", resource: "secrets", user: { username: "admin" } }),
        event({
          verb: "patch",
          resource: "registries",
          group: "registry-operator.dev",
          objectRef: { subresource: "status" },
        }),
        event({ verb: "delete", resource: "secrets", responseStatus: { code: 403 } }),
      ],
      USER,
      at("20:00"),
    );
    expect([...seen.used].sort()).toEqual([
      "get /secrets",
      "patch registry-operator.dev/registries/status",
    ]);
    expect(seen.refused).toEqual(["delete /secrets"]);
    // Unused: what the earlier run and another user did does not count.
    expect(unusedGrants(grants, seen.used, {})).toEqual([
      "create /secrets",
      "create /services",
      "get /services",
    ]);
    expect(unusedGrants(grants, seen.used, { "create /secrets": "why" })).toEqual([
      "create /services",
      "get /services",
    ]);
  });

  it("refuses an exception that is no longer true", () => {
    const seen = new Set(["get /secrets"]);
    expect(
      staleExceptions(grants, seen, { "get /secrets": "used now", "list /pods": "not granted" }),
    ).toEqual(["get /secrets", "list /pods"]);
  });
});
