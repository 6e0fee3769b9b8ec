import { PruneMemo } from "../../../lib/engine/prune-memo";

describe("PruneMemo", () => {
  it("prunes the first time, when the rendered set changes, and again after the interval", () => {
    let now = 0;
    const memo = new PruneMemo(1000, () => now);
    const set = ["Deployment/r", "Service/r"];
    expect(memo.due("r", set)).toBe(true);
    memo.done("r", set);
    expect(memo.due("r", [...set].reverse())).toBe(false); // same set, any order
    expect(memo.due("r", ["Deployment/r"])).toBe(true); // shrank: something to delete
    expect(memo.due("other", set)).toBe(true); // per owner
    now = 1000;
    expect(memo.due("r", set)).toBe(true); // a stray labelled object is found within the interval
  });
});
