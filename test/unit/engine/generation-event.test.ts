import { oneEvent } from "../../../lib/engine/generated-secret";

describe("oneEvent (the Secrets one pass generated, as one Event)", () => {
  const ca = { reason: "CAIssued", message: "Issued the CA x." };
  const cert = { reason: "CertificateIssued", message: "Issued the server certificate." };

  it("is nothing for nothing, and the Event itself for one", () => {
    expect(oneEvent([])).toBeUndefined();
    expect(oneEvent([ca])).toEqual(ca);
  });

  it("keeps every reason and message, in order, when several are one", () => {
    expect(oneEvent([ca, cert])).toEqual({
      reason: "SecretsGenerated",
      message: "CAIssued: Issued the CA x. CertificateIssued: Issued the server certificate.",
    });
  });
});
