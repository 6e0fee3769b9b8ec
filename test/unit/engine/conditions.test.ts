import { sameConditions, setConditions } from "../../../lib/engine/conditions";
import { supportedCondition } from "../../../lib/render/status/supported";

const T0 = "2026-01-01T00:00:00Z";
const T1 = "2026-01-02T00:00:00Z";

describe("setConditions", () => {
  const ready = { type: "Ready", status: "True" as const, reason: "Up", message: "up" };

  it("adds a condition with the generation it describes", () => {
    expect(setConditions(undefined, [ready], 3, T0)).toEqual([
      { ...ready, observedGeneration: 3, lastTransitionTime: T0 },
    ]);
  });

  it("moves lastTransitionTime only when the status flips", () => {
    const first = setConditions(undefined, [ready], 1, T0);
    expect(
      setConditions(first, [{ ...ready, message: "still up" }], 2, T1)[0].lastTransitionTime,
    ).toBe(T0);
    expect(setConditions(first, [{ ...ready, status: "False" }], 2, T1)[0].lastTransitionTime).toBe(
      T1,
    );
  });

  it("drops conditions that are no longer desired", () => {
    const stale = {
      type: "TemplateResolved",
      status: "True" as const,
      reason: "Found",
      message: "m",
      lastTransitionTime: T0,
    };
    expect(setConditions([stale], [ready], 1, T1).map(c => c.type)).toEqual(["Ready"]);
  });

  it("compares conditions whatever the order of their keys (the API server sorts them)", () => {
    const [c] = setConditions(undefined, [ready], 1, T0);
    const sorted = Object.fromEntries(
      Object.entries(c).sort(([a], [b]) => a.localeCompare(b)),
    ) as typeof c;
    expect(sameConditions([c], [sorted])).toBe(true);
  });

  it("compares condition lists regardless of order", () => {
    const a = setConditions(undefined, [ready, { ...ready, type: "Available" }], 1, T0);
    expect(sameConditions(a, [...a].reverse())).toBe(true);
    expect(sameConditions(a, setConditions(a, [{ ...ready, status: "False" }], 1, T1))).toBe(false);
  });
});

describe("supportedCondition", () => {
  it("is True when every field set is acted on", () => {
    expect(supportedCondition({ replicas: 2, storage: { emptyDir: {} } }).status).toBe("True");
  });

  it("names the fields not acted on yet (and not the UI, which is)", () => {
    expect(supportedCondition({ auth: { token: {} }, ui: { enabled: true } })).toEqual({
      type: "Supported",
      status: "False",
      reason: "FieldsNotActedOnYet",
      message: "Accepted but not acted on yet by this operator version: spec.auth.token.",
    });
  });
});

describe("fields not acted on yet", () => {
  it("counts only what is pending: the upgrade settings, monitoring and config are acted on", () => {
    expect(
      supportedCondition({
        upgrade: { progressDeadlineSeconds: 120, autoRollback: false },
        monitoring: {},
        config: { log: { level: "debug" } },
      }).status,
    ).toBe("True");
  });
});
