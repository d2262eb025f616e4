/**
 * The server's expression language, imported as it is: the editor parses on every keystroke with the very code that
 * will check the saved text, so the two never disagree about what is valid or where a mistake is.
 */
import {
  checkReferences,
  type Expr,
  type ExpressionError,
  parseExpression,
} from "../../../../src/modules/reporting/expression.ts";

export type { BinaryOperator, Expr, ExpressionError } from "../../../../src/modules/reporting/expression.ts";
export { parseExpression, referencedElements } from "../../../../src/modules/reporting/expression.ts";

/** What the editor knows about the text in it: the tree when it reads, and the first problem when there is one. */
export interface ExpressionCheck {
  expr: Expr | null;
  problem: ExpressionError | null;
}

/**
 * Parses `text` and looks up its elements in the catalogue already loaded: the first syntax error, else the first
 * reference to an element the catalogue does not have. Empty text is a problem too (both fields are required).
 */
export function checkExpression(text: string, knownCodes: ReadonlySet<string>): ExpressionCheck {
  const parsed = parseExpression(text);
  if (!parsed.ok) return { expr: null, problem: parsed.error };
  return { expr: parsed.expr, problem: checkReferences(parsed.expr, knownCodes)[0] ?? null };
}

/**
 * Where the cursor stands inside an element reference being typed (`#{HH_PO|`, or `#{hộ ngh|`): the range to
 * replace with a complete `#{CODE}`, and what was typed so far to look the element up by code or by name.
 */
export interface ReferenceAtCursor {
  start: number;
  end: number;
  query: string;
}

/** Characters that cannot stand inside a reference being typed (as in the tokenizer's unterminated `#{…`). */
const outsideReference = /[{}#()+*/<>=!\n\r]/;

export function referenceAtCursor(text: string, cursor: number): ReferenceAtCursor | null {
  const before = text.slice(0, cursor);
  const hash = before.lastIndexOf("#");
  if (hash < 0) return null;
  const typed = before.slice(hash + 1);
  const query = typed.startsWith("{") ? typed.slice(1) : typed;
  if (outsideReference.test(query) || query.length > 64) return null;
  // Inside a finished reference (`#{HH_PO|OR}`), the rest of the code and its brace go too.
  const after = /^[A-Za-z0-9_]*\}/.exec(text.slice(cursor));
  return { start: hash, end: cursor + (after ? after[0].length : 0), query: query.trim() };
}

/** Lower-case without Vietnamese diacritics, so "ho ngheo" finds "Số hộ nghèo". */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}
