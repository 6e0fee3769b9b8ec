// Fuzzed admission of Caches (docs/reliability.md): mutate, validate, respond, render.
import { fuzzSuite } from "./property";
import { renderCacheObject } from "./render";

fuzzSuite("Cache", renderCacheObject);
