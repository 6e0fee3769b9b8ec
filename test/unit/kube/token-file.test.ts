import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokenFileReader } from "../../../lib/kube/token-file";

describe("tokenFileReader", () => {
  it("re-reads a rotated token (the file changed), checking at most once a second", () => {
    const dir = mkdtempSync(join(tmpdir(), "token-"));
    const file = join(dir, "token");
    let now = 0;
    try {
      writeFileSync(file, "first\n");
      utimesSync(file, 1000, 1000);
      const read = tokenFileReader(file, () => now);
      expect(read()).toBe("first");
      writeFileSync(file, "second\n");
      utimesSync(file, 2000, 2000);
      now = 500;
      expect(read()).toBe("first"); // within the second: no look at the file
      now = 1500;
      expect(read()).toBe("second");
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
