import { resyncMs } from "../../../lib/controllers/resync-interval";

describe("the resync interval", () => {
  it.each([
    [undefined, 60_000],
    ["3600", 3_600_000],
    ["10", 10_000],
    ["9", 60_000],
    ["", 60_000],
    ["soon", 60_000],
  ])("REGISTRY_OPERATOR_RESYNC_SECONDS=%p gives %p ms", (value, ms) => {
    expect(resyncMs(value)).toBe(ms);
  });
});
