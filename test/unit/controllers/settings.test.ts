import { credentialPropagationMs, resyncMs } from "../../../lib/controllers/settings";

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

describe("the credential propagation delay", () => {
  it.each([
    [undefined, 90_000],
    ["5", 5_000],
    ["300", 300_000],
    ["4", 90_000],
    ["-1", 90_000],
    ["later", 90_000],
  ])("REGISTRY_OPERATOR_CREDENTIAL_PROPAGATION_SECONDS=%p gives %p ms", (value, ms) => {
    expect(credentialPropagationMs(value)).toBe(ms);
  });
});
