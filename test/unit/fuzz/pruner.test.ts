// Fuzzed admission of ImagePruners (docs/reliability.md): an accepted one gets its CronJob,
// program and garbage collection Job, and its next run.
import { fuzzSuite } from "./property";
import { renderPrunerObject } from "./render";

fuzzSuite("ImagePruner", (obj, world) => renderPrunerObject(obj, world));
