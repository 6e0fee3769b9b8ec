import type { KubernetesObject } from "kubernetes-fluent-client";
import type { PeprValidateRequest } from "pepr";
import { respond } from "../../../lib/admission/respond";
import { verdict } from "../../../lib/admission/verdict";

/** What respond() uses of Pepr's request: the kind, the object, Approve and Deny. */
const request = (metadata: unknown) =>
  ({
    Request: { kind: { kind: "Registry" } },
    Raw: { metadata },
    Approve: (warnings?: string[]) => ({ allowed: true, warnings }),
    Deny: (statusMessage?: string, statusCode?: number) => ({
      allowed: false,
      statusCode,
      statusMessage,
    }),
  }) as unknown as PeprValidateRequest<KubernetesObject>;

describe("respond", () => {
  it("denies with every problem, naming the object", async () => {
    expect(await respond(request({ name: "r" }), () => verdict(["spec.replicas: x"]))).toEqual({
      allowed: false,
      statusCode: 422,
      statusMessage: "Registry r is invalid: spec.replicas: x",
    });
  });

  it("answers a check that throws with a 422 saying it is the operator's error", async () => {
    const r = await respond(request({ name: "r" }), () => {
      throw new TypeError("boom");
    });
    expect(r).toMatchObject({ allowed: false, statusCode: 422 });
    expect(r.statusMessage).toContain("operator error: TypeError: boom");
  });

  // Found by the admission fuzz (test/unit/fuzz): an object in place of the name, which no
  // template string can print, made respond itself throw, which Pepr answers with HTTP 500.
  it.each([[{ toString: "not a function" }], [{ a: 1 }], [["r"]], [7]])(
    "never throws, whatever stands in metadata.name (%j)",
    async name => {
      const r = await respond(request({ name }), () => verdict(["spec: must be object"]));
      expect(r).toEqual({
        allowed: false,
        statusCode: 422,
        statusMessage: "Registry  is invalid: spec: must be object",
      });
    },
  );
});
