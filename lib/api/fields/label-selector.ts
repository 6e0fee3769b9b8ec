import { z } from "zod";

const d = (description: string) => ({ description });

const Requirement = z.strictObject({
  key: z.string().min(1).max(317),
  operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
  values: z.array(z.string().max(63)).max(64).optional(),
});

/** A metav1.LabelSelector: every matchLabels entry and every expression must hold. */
export const LabelSelector = z
  .strictObject({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z.array(Requirement).max(32).optional(),
  })
  .meta(d("Labels to match, as in a Kubernetes label selector; an empty selector matches all."));
export type LabelSelector = z.infer<typeof LabelSelector>;

/** Whether `labels` satisfy `selector` (the semantics of metav1.LabelSelector). */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> = {}) {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  const plain = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    plain &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      switch (operator) {
        case "In":
          return has(key) && values.includes(labels[key]);
        case "NotIn":
          return !has(key) || !values.includes(labels[key]);
        case "Exists":
          return has(key);
        case "DoesNotExist":
          return !has(key);
      }
    })
  );
}

/** What is wrong with a selector the schema lets through (values required by In and NotIn). */
export function selectorProblems(selector: LabelSelector, path: string): string[] {
  return (selector.matchExpressions ?? []).flatMap((e, i) => {
    const needsValues = e.operator === "In" || e.operator === "NotIn";
    if (needsValues && !e.values?.length)
      return [`${path}.matchExpressions[${i}].values: required with operator ${e.operator}`];
    if (!needsValues && e.values?.length)
      return [`${path}.matchExpressions[${i}].values: must be empty with operator ${e.operator}`];
    return [];
  });
}
