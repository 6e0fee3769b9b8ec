/**
 * Checks the API server makes itself, from the CRD schema (`x-kubernetes-validations`, CEL), so
 * `kubectl apply --dry-run=server` and writes that bypass our webhook get the same answer, with the
 * same message. A field's zod refinement stays the full check (the webhook runs after the schema);
 * the rule carries what CEL can express of it.
 */
export interface SchemaRule {
  rule: string;
  message?: string;
  /** A CEL string expression for a message that shows the value. */
  messageExpression?: string;
  /** Where the API server reports a failure, relative to the field carrying the rule. */
  fieldPath?: string;
}

/** Metadata attaching rules to a zod schema (`.meta(schemaRules(...))`). */
export const schemaRules = (...rules: SchemaRule[]) => ({ "x-kubernetes-validations": rules });

/**
 * A message that ends with the value, for int-or-string fields, where the API server's own
 * `Invalid value:` shows only the value's type. Not for values that may hold credentials.
 */
export function showingValue(message: string): Pick<SchemaRule, "message" | "messageExpression"> {
  if (message.includes("'")) throw new Error(`a schema message cannot contain ': ${message}`);
  return { message, messageExpression: `'${message} (got ' + string(self) + ')'` };
}

/** A rule that the string matches `pattern` — the same RegExp the refinement uses (RE2-compatible). */
export function matches(pattern: RegExp, message: string, subject = "self"): SchemaRule {
  if (pattern.flags.replace("i", "") !== "")
    throw new Error(`a schema pattern takes only the i flag: /${pattern.source}/${pattern.flags}`);
  if (pattern.source.includes("'"))
    throw new Error(`a schema pattern cannot contain ': /${pattern.source}/`);
  // RE2 (CEL's matches) has no lookaround, backreferences or \p classes; its \s is ASCII only.
  if (/\(\?<?[=!]|\\[1-9pPk]/.test(pattern.source))
    throw new Error(`a schema pattern must be RE2: /${pattern.source}/`);
  const source = (pattern.flags.includes("i") ? "(?i)" : "") + pattern.source;
  return { rule: `${subject}.matches(r'${source}')`, message };
}
