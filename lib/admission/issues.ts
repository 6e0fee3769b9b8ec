import type { z } from "zod";

/** Renders a zod issue path the way kubectl users read field paths: `spec.tolerations[0].key`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => {
    if (typeof seg === "number") return `${acc}[${seg}]`;
    return acc ? `${acc}.${String(seg)}` : String(seg);
  }, "");
}

function unit(origin: string, n: unknown): string {
  const plural = Number(n) === 1 ? "" : "s";
  if (origin === "string") return ` character${plural}`;
  if (origin === "array" || origin === "set") return ` item${plural}`;
  return "";
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map(k => `"${k}"`).join(", ")}`;
    case "invalid_type":
      return issue.message.endsWith("received undefined")
        ? "is required"
        : `must be ${issue.expected}`;
    case "too_big":
      return `must be ${issue.inclusive === false ? "less than" : "at most"} ${String(issue.maximum)}${unit(issue.origin, issue.maximum)}`;
    case "too_small":
      return `must be ${issue.inclusive === false ? "more than" : "at least"} ${String(issue.minimum)}${unit(issue.origin, issue.minimum)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(v => JSON.stringify(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

/** One line per issue, each naming the field and the reason: `spec.replicas: must be number`. */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): string[] {
  return issues.map(issue => {
    const path = fieldPath([...prefix, ...issue.path]);
    return `${path || "object"}: ${describe(issue)}`;
  });
}
