// Fuzzed admission of Registries (docs/reliability.md): mutate, validate, respond, render.
import { fuzzSuite } from "./property";
import { renderRegistryObject } from "./render";

fuzzSuite("Registry", renderRegistryObject);
