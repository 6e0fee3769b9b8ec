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
  annotations: {
    "authorization.k8s.io/decision": e.annotations?.["authorization.k8s.io/decision"] ?? "allow",
  },
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
        event({
          verb: "delete",
          resource: "secrets",
          responseStatus: { code: 403 },
          annotations: { "authorization.k8s.io/decision": "forbid" },
        }),
        // Allowed, then refused by the namespace being deleted: a use.
        event({ verb: "get", resource: "services", responseStatus: { code: 403 } }),
      ],
      USER,
      at("20:00"),
    );
    expect([...seen.used].sort()).toEqual([
      "get /secrets",
      "get /services",
      "patch registry-operator.dev/registries/status",
    ]);
    expect(seen.refused).toEqual(["delete /secrets"]);
    // Unused: what the earlier run and another user did does not count.
    expect(unusedGrants(grants, seen.used, {})).toEqual(["create /secrets", "create /services"]);
    expect(unusedGrants(grants, seen.used, { "create /secrets": "why" })).toEqual([
      "create /services",
    ]);
  });

  it("counts a server-side apply that created its object as a create", () => {
    const apply = (code: number) =>
      event({ verb: "patch", resource: "services", responseStatus: { code } });
    expect([...used([apply(200)], USER, at("00:00")).used]).toEqual(["patch /services"]);
    expect([...used([apply(201)], USER, at("00:00")).used].sort()).toEqual([
      "create /services",
      "patch /services",
    ]);
  });

  it("sets apart a refusal while a restarted API server was starting, and only then", () => {
    const forbid = (time: string) =>
      event({
        verb: "watch",
        resource: "secrets",
        requestReceivedTimestamp: at(time),
        annotations: { "authorization.k8s.io/decision": "forbid" },
      });
    const starting = [{ from: at("10:00"), to: at("10:05") }];
    const during = used([forbid("10:03")], USER, at("00:00"), starting);
    expect([during.refused, during.whileStarting]).toEqual([[], ["watch /secrets"]]);
    const after = used([forbid("10:06")], USER, at("00:00"), starting);
    expect([after.refused, after.whileStarting]).toEqual([["watch /secrets"], []]);
  });

  it("refuses an exception for a grant that is gone", () => {
    expect(
      staleExceptions(grants, { "get /secrets": "still granted", "list /pods": "not granted" }),
    ).toEqual(["list /pods"]);
  });
});
