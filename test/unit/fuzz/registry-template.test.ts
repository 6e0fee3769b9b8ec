// Fuzzed admission of RegistryTemplates (docs/reliability.md): an accepted one renders as the
// Registries naming it do.
import { fuzzSuite } from "./property";
import { renderTemplateObject } from "./render";

fuzzSuite("RegistryTemplate", renderTemplateObject);
