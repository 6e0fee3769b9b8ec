import { matches, type SchemaRule } from "./fields/schema-rule";

// Children are named after the Registry (`<name>`, `<name>-config`, `<name>-redis`, …). Services
// need a DNS-1035 label, and StatefulSet pods carry `<name>-<10-char hash>` in a 63-character
// label value, so 52 characters is the longest name every child can carry.
export const MAX_OWNER_NAME = 52;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const TOO_LONG = `at most ${MAX_OWNER_NAME} characters (its children are named after it)`;
const NOT_A_LABEL =
  "must start with a letter and contain only a-z, 0-9 and '-' (it names the registry's Service)";

/** What is wrong with the name of a Registry or Cache, as the webhook says it. */
export function nameProblems(name: string | undefined): string[] {
  if (!name) return [];
  if (name.length > MAX_OWNER_NAME) return [`metadata.name: ${TOO_LONG}, got ${name.length}`];
  if (!DNS1035_LABEL.test(name)) return [`metadata.name: ${NOT_A_LABEL}`];
  return [];
}

/** The same checks in the CRD's root schema (CEL may read metadata.name there). */
export const NAME_SCHEMA_RULES: SchemaRule[] = [
  {
    rule: `self.metadata.name.size() <= ${MAX_OWNER_NAME}`,
    message: `metadata.name: ${TOO_LONG}`,
  },
  matches(DNS1035_LABEL, `metadata.name: ${NOT_A_LABEL}`, "self.metadata.name"),
];
