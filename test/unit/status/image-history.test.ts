import { imageHistory } from "../../../lib/render/status/image-history";

const cond = (type: string, status: "True" | "False", reason = "R") => ({
  type,
  status,
  reason,
  message: "m",
});

describe("imageHistory", () => {
  it("records the image once its rollout completed Ready", () => {
    expect(
      imageHistory(
        "registry:3.0.0",
        [cond("Ready", "True"), cond("Progressing", "False", "Complete")],
        "registry:2.8.3",
      ),
    ).toEqual({ version: "3.0.0", lastHealthyImage: "registry:3.0.0" });
  });

  it("keeps the previous healthy image during a rollout or while not Ready", () => {
    const rolling = [cond("Ready", "True"), cond("Progressing", "True")];
    expect(imageHistory("registry:3.1.0", rolling, "registry:3.0.0").lastHealthyImage).toBe(
      "registry:3.0.0",
    );
    expect(imageHistory("registry:3.1.0", [cond("Ready", "False")], undefined)).toEqual({
      version: "3.1.0",
      lastHealthyImage: null,
    });
  });

  it("does not take an image past its deadline for healthy, though the old pods keep it Ready", () => {
    const stalled = [
      cond("Ready", "True"),
      cond("Progressing", "False", "ProgressDeadlineExceeded"),
    ];
    expect(imageHistory("registry:3.1.0", stalled, "registry:3.0.0").lastHealthyImage).toBe(
      "registry:3.0.0",
    );
  });

  it("removes the version when the tag names none", () => {
    expect(imageHistory("registry:latest", [], undefined).version).toBeNull();
  });
});
