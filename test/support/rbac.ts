export type Rule = {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
  /** Wanted only: a grant limited to resourceNames is enough. */
  byName?: boolean;
};

/**
 * `group/resource: verb` of each grant in `wanted` that no rule of `granted` gives for every
 * object of the kind (a rule limited to resourceNames counts only where `wanted` says byName).
 */
export function uncovered(granted: Rule[], wanted: Rule[]): string[] {
  const grants = (group: string, resource: string, verb: string, byName = false) =>
    granted.some(
      r =>
        (byName || !r.resourceNames) &&
        r.apiGroups.includes(group) &&
        r.resources.includes(resource) &&
        r.verbs.includes(verb),
    );
  return wanted.flatMap(w =>
    w.apiGroups.flatMap(g =>
      w.resources.flatMap(res =>
        w.verbs
          .filter(v => !grants(g, res, v, w.byName))
          .map(v => `${g ? `${g}/` : ""}${res}: ${v}`),
      ),
    ),
  );
}
