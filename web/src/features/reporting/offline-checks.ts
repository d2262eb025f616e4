import {
  compareValues,
  evaluateExpression,
  parseExpression,
  referencedElements,
} from "../../../../src/modules/reporting/expression.ts";
import type { EntryContext, Violation } from "./api.ts";

/**
 * The form's validation rules run in the browser with the values on screen, for when the server cannot be asked
 * (no connection): the same expression code as the server's (src/modules/reporting/expression.ts), so the two agree.
 * Loaded only when needed, to keep it out of the entry page's first download.
 */
export function localViolations(
  rules: EntryContext["rules"],
  numberOf: (code: string) => number | null,
): Violation[] {
  const found: Violation[] = [];
  for (const rule of rules) {
    const left = parseExpression(rule.left);
    const right = parseExpression(rule.right);
    if (!left.ok || !right.ok) continue;
    const l = evaluateExpression(left.expr, numberOf);
    const r = evaluateExpression(right.expr, numberOf);
    if (l === null || r === null || compareValues(l, rule.operator, r)) continue;
    found.push({
      code: rule.code,
      importance: rule.importance,
      message: rule.message,
      elements: [...new Set([...referencedElements(left.expr), ...referencedElements(right.expr)])],
      left: l,
      right: r,
    });
  }
  return found;
}
