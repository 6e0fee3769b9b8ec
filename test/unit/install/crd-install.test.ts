import { installCrdsOrExit } from "../../../lib/crds/install";

// pepr and the API client are ES modules jest cannot load; neither is reached with an injected install.
jest.mock("pepr", () => ({ Log: { error: jest.fn(), warn: jest.fn(), info: jest.fn() } }));
jest.mock("../../../lib/engine/kinds", () => ({ client: jest.fn() }));

describe("installCrdsOrExit", () => {
  it("ends the process (exit 1) when the CRDs cannot be installed", async () => {
    const exit = jest.fn();
    const installed = await installCrdsOrExit(() => Promise.reject(new Error("forbidden")), exit);
    expect(installed).toBe(false);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it("goes on once they are installed", async () => {
    const exit = jest.fn();
    expect(await installCrdsOrExit(() => Promise.resolve(), exit)).toBe(true);
    expect(exit).not.toHaveBeenCalled();
  });
});
