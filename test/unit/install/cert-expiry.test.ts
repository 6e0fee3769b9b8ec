import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { certExpiryWarning } from "../../../lib/module/cert-expiry";

// pepr is an ES module jest cannot load; only its logger is used here.
jest.mock("pepr", () => ({ Log: { warn: jest.fn() } }));

// A one-year certificate, as `pepr build` issues; the tests move "now" instead of the certificate.
const pem = execFileSync(
  "openssl",
  ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"].concat([
    "-days",
    "365",
    "-subj",
    "/CN=pepr-registry-operator",
    "-keyout",
    "/dev/null",
  ]),
  { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
);
const notAfter = new Date(new X509Certificate(pem).validTo);
const daysBefore = (d: number) => new Date(notAfter.getTime() - d * 86_400_000);

describe("certExpiryWarning", () => {
  it("says nothing while more than 30 days remain", () => {
    expect(certExpiryWarning(pem, daysBefore(31))).toBeUndefined();
    expect(certExpiryWarning(pem, daysBefore(300))).toBeUndefined();
  });

  it("warns 30 days ahead, saying what breaks and how to renew", () => {
    const w = certExpiryWarning(pem, daysBefore(29.5));
    expect(w).toMatch(/expires in 29 days/);
    expect(w).toContain("refuses every write");
    expect(w).toContain("npx pepr build");
  });

  it("says when it has expired", () => {
    expect(certExpiryWarning(pem, daysBefore(-1))).toMatch(/expired on /);
  });
});
