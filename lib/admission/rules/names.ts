// Children are named after the Registry (`<name>`, `<name>-config`, `<name>-redis`, …). Services
// need a DNS-1035 label, and StatefulSet pods carry `<name>-<10-char hash>` in a 63-character
// label value, so 52 characters is the longest name every child can carry.
export const MAX_REGISTRY_NAME = 52;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function nameProblems(name: string | undefined): string[] {
  if (!name) return [];
  if (name.length > MAX_REGISTRY_NAME) {
    return [
      `metadata.name: at most ${MAX_REGISTRY_NAME} characters (its children are named after it), got ${name.length}`,
    ];
  }
  if (!DNS1035_LABEL.test(name)) {
    return [
      "metadata.name: must start with a letter and contain only a-z, 0-9 and '-' (it names the registry's Service)",
    ];
  }
  return [];
}
