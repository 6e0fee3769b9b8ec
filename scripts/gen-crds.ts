// Writes crds/<plural>.yaml from the zod schemas. `npm run gen:crds`; a unit test fails when stale.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { crdFiles } from "../lib/api/crd-files";

for (const [name, text] of crdFiles()) {
  writeFileSync(join(__dirname, "..", "crds", name), text);
  console.log(`crds/${name}`);
}
