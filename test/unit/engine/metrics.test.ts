// Pepr's collector as the module's server uses it: getMetrics answers /metrics.
jest.mock("pepr", () => ({
  metricsCollector: {
    getMetrics: async () =>
      "# HELP pepr_validate x\n# TYPE pepr_validate summary\npepr_validate_count 1\n",
  },
}));
import { metricsCollector } from "pepr";
import { operatorMetrics, recordConditions } from "../../../lib/engine/metrics";
import { recordCertificateExpiry } from "../../../lib/controllers/certificate-metrics";
import { serveOperatorMetrics } from "../../../lib/module/metrics";

const lines = (text: string, prefix: string) => text.split("\n").filter(l => l.startsWith(prefix));

describe("operator metrics", () => {
  it("reach the module's /metrics after Pepr's own, once however often they are wired", async () => {
    serveOperatorMetrics();
    serveOperatorMetrics();
    const text = await metricsCollector.getMetrics();
    expect(text).toMatch(/^# TYPE pepr_validate summary$/m);
    expect(
      lines(text, "# TYPE registry_operator_reconcile_duration_seconds histogram"),
    ).toHaveLength(1);
  });

  it("report each object's conditions, one series per condition, and forget a deleted object", async () => {
    recordConditions("Registry", "ns", "a", [
      { type: "Ready", status: "True" },
      { type: "Degraded", status: "False" },
    ]);
    recordConditions("Registry", "ns", "a", [
      { type: "Ready", status: "False" },
      { type: "Degraded", status: "True" },
    ]);
    let text = await operatorMetrics.metrics();
    expect(
      lines(
        text,
        'registry_operator_condition{kind="Registry",object_namespace="ns",object_name="a"',
      ),
    ).toEqual([
      'registry_operator_condition{kind="Registry",object_namespace="ns",object_name="a",condition="Ready",status="False"} 1',
      'registry_operator_condition{kind="Registry",object_namespace="ns",object_name="a",condition="Degraded",status="True"} 1',
    ]);
    recordConditions("Registry", "ns", "a", undefined);
    text = await operatorMetrics.metrics();
    expect(
      lines(
        text,
        'registry_operator_condition{kind="Registry",object_namespace="ns",object_name="a"',
      ),
    ).toEqual([]);
  });

  it("set a certificate's expiry, and drop it once none is served", async () => {
    const labels = { namespace: "ns", name: "web", kind: "Registry" };
    const series =
      'registry_operator_certificate_expiry_timestamp_seconds{kind="Registry",object_namespace="ns",object_name="web"}';
    recordCertificateExpiry(labels, {
      type: "CertificateReady",
      ready: true,
      reason: "SelfSigned",
      message: "",
      expiresAt: "2030-01-01T00:00:00Z",
    });
    expect(lines(await operatorMetrics.metrics(), series)).toEqual([`${series} 1893456000`]);
    recordCertificateExpiry(labels, undefined);
    expect(lines(await operatorMetrics.metrics(), series)).toEqual([]);
  });
});
