import { pendingFields } from "../../api/not-yet";
import type { DesiredCondition } from "../../api/status";

/**
 * `Supported`: whether every field the user set is acted on by this operator version. Fields the
 * API accepts ahead of their implementation are named, so nobody relies on a setting that does
 * nothing.
 */
export function supportedCondition(own: Record<string, unknown>): DesiredCondition {
  const pending = pendingFields(own);
  if (pending.length === 0) {
    return {
      type: "Supported",
      status: "True",
      reason: "AllFieldsActedOn",
      message: "Every field set is acted on.",
    };
  }
  return {
    type: "Supported",
    status: "False",
    reason: "FieldsNotActedOnYet",
    message: `Accepted but not acted on yet by this operator version: ${pending.map(f => `spec.${f}`).join(", ")}.`,
  };
}
