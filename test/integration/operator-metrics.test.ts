// The operator's own metrics, scraped from the running module's /metrics as Prometheus would:
// reconciles counted and timed (a histogram), the queue, each object's conditions and admission
// decisions — next to Pepr's own series.
import { apply, eventually, kubectlOk, testNamespace } from "../support/kubectl";
import { waitForCondition } from "../support/conditions";
import { moduleMetrics, sample } from "../support/metrics";
import { registryManifest } from "../support/manifests";

const registry = registryManifest;

describe("operator metrics on the module's /metrics", () => {
  const ns = testNamespace("metrics");
  afterAll(() => ns.remove());

  it("count and time reconciles, report conditions and count admission decisions", async () => {
    const before = await moduleMetrics();
    const admissionBefore = await moduleMetrics("admission");
    const reconciled = sample(before, "registry_operator_reconcile_total", {
      kind: "Registry",
      result: "success",
    });
    const timed = sample(before, "registry_operator_reconcile_duration_seconds_count", {
      kind: "Registry",
    });
    const allowed = sample(admissionBefore, "registry_operator_admission_total", {
      kind: "Registry",
      result: "allowed",
    });
    const denied = sample(admissionBefore, "registry_operator_admission_total", {
      kind: "Registry",
      result: "denied",
    });

    expect(apply(registry("watched", {}), ns.name).code).toBe(0);
    expect(
      apply(registry("refused", { image: "docker.io/library/registry:2.7.1" }), ns.name).code,
    ).not.toBe(0);
    await waitForCondition(ns.name, "registry", "watched", { type: "Ready", status: "True" });

    const after = await moduleMetrics();
    const admissionAfter = await moduleMetrics("admission");
    // Pepr's own series are still there, beside ours.
    expect(admissionAfter).toMatch(/^pepr_validate_count /m);
    expect(
      sample(after, "registry_operator_reconcile_total", { kind: "Registry", result: "success" }),
    ).toBeGreaterThan(reconciled);
    expect(
      sample(after, "registry_operator_reconcile_duration_seconds_count", { kind: "Registry" }),
    ).toBeGreaterThan(timed);
    // A histogram: cumulative buckets up to +Inf, which holds every observation.
    expect(after).toMatch(/^# TYPE registry_operator_reconcile_duration_seconds histogram$/m);
    expect(
      sample(after, "registry_operator_reconcile_duration_seconds_bucket", {
        kind: "Registry",
        le: "+Inf",
      }),
    ).toBe(
      sample(after, "registry_operator_reconcile_duration_seconds_count", { kind: "Registry" }),
    );
    expect(after).toMatch(/^registry_operator_queue_depth\{kind="Registry"\} \d+$/m);
    expect(
      sample(after, "registry_operator_condition", {
        kind: "Registry",
        object_namespace: ns.name,
        object_name: "watched",
        condition: "Ready",
        status: "True",
      }),
    ).toBe(1);
    expect(
      sample(admissionAfter, "registry_operator_admission_total", {
        kind: "Registry",
        result: "allowed",
      }),
    ).toBeGreaterThan(allowed);
    expect(
      sample(admissionAfter, "registry_operator_admission_total", {
        kind: "Registry",
        result: "denied",
      }),
    ).toBeGreaterThan(denied);
  });

  it("drops a deleted object's condition series", async () => {
    apply(registry("gone", {}), ns.name);
    await waitForCondition(ns.name, "registry", "gone", { type: "Ready", status: "True" });
    const labels = {
      kind: "Registry",
      object_namespace: ns.name,
      object_name: "gone",
      condition: "Ready",
    };
    expect(sample(await moduleMetrics(), "registry_operator_condition", labels)).toBe(1);
    kubectlOk(["-n", ns.name, "delete", "registry", "gone", "--wait=true"]);
    await eventually(
      async () =>
        sample(await moduleMetrics(), "registry_operator_condition", labels) === 0 || undefined,
      30_000,
      "the series of the deleted Registry to go",
    );
  });
});
