// Reads the built module manifest for shell scripts.
// Usage: node --import tsx module-manifest.ts identity|account BUILD_DIR
//   identity: the ServiceAccount, roles and bindings as one List (JSON); account: the SA's name.
import { moduleAccount, moduleIdentity, moduleManifest } from "../test/support/module-manifest";

const [what, dir] = process.argv.slice(2);
const docs = moduleManifest(dir);
if (what === "account") console.log(moduleAccount(docs));
else if (what === "identity")
  process.stdout.write(
    JSON.stringify({ apiVersion: "v1", kind: "List", items: moduleIdentity(docs) }),
  );
else throw new Error(`usage: module-manifest.ts identity|account BUILD_DIR (not ${what})`);
