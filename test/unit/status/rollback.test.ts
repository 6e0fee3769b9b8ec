import {
  rollbackInForce,
  rollbackVerdict,
  rolloutFailure,
  type RollbackInput,
} from "../../../lib/render/status/rollback";
import type { Rollback } from "../../../lib/api/status";

const deadline = {
  conditions: [
    { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "x" },
  ],
};
const pullBackOff = {
  reason: "ImagePullBackOff",
  message: "Pod r-1, container registry: ImagePullBackOff.",
};
const crashLoop = {
  reason: "CrashLoopBackOff",
  message: "Pod r-1, container registry: CrashLoopBackOff.",
};

describe("rolloutFailure", () => {
  it("is the progress deadline, with what the pods say", () => {
    expect(rolloutFailure("registry:3.1.0", "registry:3.0.0", deadline, pullBackOff)).toBe(
      "the rollout did not finish within its progress deadline; Pod r-1, container registry: ImagePullBackOff",
    );
  });

  it("is a crash loop at once, without waiting for the deadline", () => {
    expect(rolloutFailure("registry:3.1.0", "registry:3.0.0", {}, crashLoop)).toContain(
      "its pods crash-loop",
    );
    expect(rolloutFailure("registry:3.1.0", "registry:3.0.0", {}, pullBackOff)).toBeUndefined();
  });

  it("is never that of an image that was healthy: that is a pod failure, not a failed upgrade", () => {
    expect(rolloutFailure("registry:3.0.0", "registry:3.0.0", deadline, crashLoop)).toBeUndefined();
  });
});

const base: RollbackInput = {
  wanted: "registry:3.1.0",
  generation: 4,
  lastHealthyImage: "registry:3.0.0",
  autoRollback: true,
  now: "2026-12-01T00:00:00Z",
};

describe("rollbackVerdict", () => {
  it("does nothing while the rollout has not failed", () => {
    expect(rollbackVerdict(base)).toEqual({ rollback: null });
  });

  it("rolls back to the last healthy image, once, with a message naming both", () => {
    const v = rollbackVerdict({ ...base, failure: "the rollout did not finish" });
    expect(v.rollback).toEqual({
      from: "registry:3.1.0",
      to: "registry:3.0.0",
      generation: 4,
      reason: "the rollout did not finish",
      at: base.now,
    });
    expect(v.degraded).toMatchObject({ status: "True", reason: "RollbackPerformed" });
    expect(v.performed).toBe(
      "Rolled back from registry:3.1.0 to registry:3.0.0: the rollout did not finish. registry:3.1.0 is not tried again until spec.image changes.",
    );
  });

  it("keeps a rollback in force without performing it again", () => {
    const inForce = rollbackVerdict({ ...base, failure: "late" }).rollback!;
    const v = rollbackVerdict({ ...base, inForce });
    expect(v.rollback).toBe(inForce);
    expect(v.degraded?.reason).toBe("RollbackPerformed");
    expect(v.performed).toBeUndefined();
  });

  it("leaves the failed image with autoRollback false, and says so", () => {
    const v = rollbackVerdict({ ...base, autoRollback: false, failure: "late" });
    expect(v.rollback).toBeNull();
    expect(v.performed).toBeUndefined();
    expect(v.degraded).toMatchObject({ reason: "RolloutFailed" });
    expect(v.degraded?.message).toContain("upgrade.autoRollback is false");
  });

  it("says there is nothing to return to when no image was ever healthy", () => {
    const v = rollbackVerdict({ ...base, lastHealthyImage: undefined, failure: "late" });
    expect(v.rollback).toBeNull();
    expect(v.degraded?.message).toContain("none to roll back to");
  });
});

describe("rollbackInForce", () => {
  const r: Rollback = { from: "a:3.1", to: "a:3.0", generation: 4, reason: "x", at: "t" };

  it("holds while the spec asks for the failed image, whatever else changed", () => {
    expect(rollbackInForce(r, "a:3.1")).toBe(r);
  });

  it("ends with another image (a user's or a template's edit), or without a rollback", () => {
    expect(rollbackInForce(r, "a:3.2")).toBeUndefined();
    expect(rollbackInForce(undefined, "a:3.1")).toBeUndefined();
  });
});

describe("rolloutFailure of a template just applied", () => {
  it("does not take the previous template's deadline for the new one's", () => {
    const stale = { ...deadline, generation: 5, observedGeneration: 4 };
    expect(rolloutFailure("registry:3.1.0", "registry:3.0.0", stale, undefined)).toBeUndefined();
    expect(
      rolloutFailure(
        "registry:3.1.0",
        "registry:3.0.0",
        { ...stale, observedGeneration: 5 },
        undefined,
      ),
    ).toContain("progress deadline");
  });
});
