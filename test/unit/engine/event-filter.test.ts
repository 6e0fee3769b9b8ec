import { needsReconcile } from "../../../lib/engine/event-filter";

describe("needsReconcile", () => {
  const at = (generation: number, observed?: number) => ({
    metadata: { generation },
    status: observed === undefined ? undefined : { observedGeneration: observed },
  });

  it("reconciles what is new or changed in its spec", () => {
    expect(needsReconcile(at(1), "ADDED")).toBe(true);
    expect(needsReconcile(at(1, 1), "ADDED")).toBe(true); // e.g. listed at start-up
    expect(needsReconcile(at(2, 1), "MODIFIED")).toBe(true);
    expect(needsReconcile(at(1), "MODIFIED")).toBe(true); // never reconciled yet
  });

  it("skips the echo of its own status write and deletions", () => {
    expect(needsReconcile(at(3, 3), "MODIFIED")).toBe(false);
    expect(needsReconcile(at(3, 3), "DELETED")).toBe(false);
  });
});
