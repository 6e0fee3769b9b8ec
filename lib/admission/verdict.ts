/** The outcome of an admission check. */
export interface Verdict {
  allowed: boolean;
  /** One line per problem, each naming the field and the reason. */
  problems: string[];
  warnings: string[];
}

export function verdict(problems: string[], warnings: string[] = []): Verdict {
  return { allowed: problems.length === 0, problems, warnings };
}
