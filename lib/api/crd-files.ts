import { stringify } from "yaml";
import { customResourceDefinitions } from "./crds";

const HEADER = "# Generated from lib/api by `npm run gen:crds`. Do not edit.\n";

/** The file name and YAML text of each generated CRD. */
export function crdFiles(): [string, string][] {
  return customResourceDefinitions().map(crd => [
    `${crd.spec.names.plural}.yaml`,
    HEADER + stringify(crd, { lineWidth: 0 }),
  ]);
}
