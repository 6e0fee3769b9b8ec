import { ApiError, describeApplyError } from "../../../lib/kube/errors";

describe("describeApplyError", () => {
  const certificate = {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "r-tls", namespace: "ns" },
  };

  it("names a kind the cluster does not serve instead of a bare 404", () => {
    expect(
      describeApplyError(certificate, new ApiError(404, "404 page not found\n", "PATCH")),
    ).toBe(
      "this cluster does not serve cert-manager.io/v1 Certificate (its CRDs are not installed)",
    );
  });

  it("passes every other failure on as the API server said it", () => {
    expect(
      describeApplyError(
        certificate,
        new ApiError(422, { message: "spec.dnsNames: Invalid" }, "PATCH"),
      ),
    ).toBe("HTTP 422: spec.dnsNames: Invalid");
  });
});
