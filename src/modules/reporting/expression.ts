/**
 * The expression language of indicators and validation rules.
 *
 * An indicator is numerator / denominator × factor, each side an expression over data elements:
 * `(#{HH_POOR} + #{HH_NEAR_POOR}) * 100 / #{HH_TOTAL}`. A validation rule compares two expressions:
 * `#{ROAD_KM_CONCRETE} <= #{ROAD_KM_TOTAL}`. The grammar is all there is:
 *
 * ```text
 * comparison := sum ("==" | "!=" | "<" | "<=" | ">" | ">=") sum
 * sum        := product (("+" | "-") product)*
 * product    := unary (("*" | "/") unary)*
 * unary      := "-" unary | primary
 * primary    := number | "#{" CODE "}" | "(" sum ")"
 * number     := digits ("." digits)?            CODE := [A-Z][A-Z0-9_]{0,63}
 * ```
 *
 * Written by hand (a tokenizer and a precedence-climbing parser) rather than with a parser generator or `eval`:
 * the grammar is tiny, the module runs in the browser on every keystroke over weak connections (so it adds no
 * weight), and every mistake must come back with its exact place and a message in Vietnamese and English that says
 * what to type instead — "1,5", "13.800.000", "a : b" and "≤" are what officials actually type.
 *
 * Positions are 0-based indices into the text in UTF-16 code units (JavaScript string indices), so an editor can
 * underline `text.slice(position, position + length)`. Human-facing messages count characters from 1.
 */

export interface Span {
  /** Index of the first character (UTF-16 code units). */
  start: number;
  /** Index just past the last character. */
  end: number;
}

export type BinaryOperator = "+" | "-" | "*" | "/";
export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

/**
 * A parsed expression. The parser sets `span` on every node (where it stands in the text it was read from, so
 * {@link checkReferences} can point at a reference); hand-built nodes may leave it out. Parentheses leave no node:
 * the tree's shape records them.
 */
export type Expr =
  | { kind: "number"; value: number; span?: Span }
  | { kind: "element"; code: string; span?: Span }
  | { kind: "unary"; op: "-"; operand: Expr; span?: Span }
  | { kind: "binary"; op: BinaryOperator; left: Expr; right: Expr; span?: Span };

export type ExpressionErrorCode =
  | "empty"
  | "unexpected_token"
  | "unexpected_end"
  | "unclosed_paren"
  | "bad_reference"
  | "invalid_number"
  | "missing_comparison"
  | "too_complex"
  | "unknown_element";

export interface ExpressionError {
  /** 0-based index into the whole text, in UTF-16 code units; `text.length` when the text ends too early. */
  position: number;
  /** How many code units to underline; 0 only when there is nothing to underline (the end of the text). */
  length: number;
  /** Stable: clients may switch on it. */
  code: ExpressionErrorCode;
  message: { vi: string; en: string };
}

export type ParseResult = { ok: true; expr: Expr } | { ok: false; error: ExpressionError };
export type ComparisonParseResult =
  | { ok: true; left: Expr; op: ComparisonOperator; right: Expr }
  | { ok: false; error: ExpressionError };

export const comparisonOperators: readonly ComparisonOperator[] = ["==", "!=", "<", "<=", ">", ">="];

/** The code of a data element: unaccented upper-case letters, digits and _, starting with a letter. */
export const elementCodePattern = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Nesting (parentheses and unary minus) and size limits, so no input can exhaust the stack of the parser or printer. */
const maxNesting = 100;
const maxOperators = 1000;

// ——— Tokens ———

type Token = Span &
  (
    | { kind: "number"; value: number }
    | { kind: "element"; code: string }
    | { kind: "operator"; op: BinaryOperator }
    | { kind: "comparison"; op: ComparisonOperator }
    | { kind: "open" }
    | { kind: "close" }
    | { kind: "end" }
    | { kind: "error"; error: ExpressionError }
  );

type Mode = "expression" | "comparison";

/** Characters copied from word processors or school notation, and what to type instead (in Vietnam "a : b" divides). */
const lookalikes: Record<string, string> = {
  "−": "-",
  "–": "-",
  "—": "-",
  "×": "*",
  "·": "*",
  "÷": "/",
  ":": "/",
  "≤": "<=",
  "≥": ">=",
  "≠": "!=",
  "（": "(",
  "）": ")",
  "＋": "+",
};

/** Characters that end an unterminated `#{…`, so one missing brace does not swallow the rest of the text. */
const referenceStops = new Set(["}", "{", "#", "(", ")", "+", "*", "/", "<", ">", "=", "!", "\n", "\r"]);

const wordChar = /[\p{L}\p{M}\p{N}_]/u;
const space = /\s/u;
const digit = /[0-9]/;

function fail(
  code: ExpressionErrorCode,
  position: number,
  length: number,
  vi: string,
  en: string,
): ExpressionError {
  return { position, length, code, message: { vi, en } };
}

/** Reads the whole text into tokens; the first lexical mistake becomes an error token and ends the list. */
function tokenize(text: string, mode: Mode): Token[] {
  const tokens: Token[] = [];
  const errorToken = (error: ExpressionError): Token => ({
    kind: "error",
    error,
    start: error.position,
    end: error.position + error.length,
  });
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    const next = text[i + 1] ?? "";
    if (space.test(c)) {
      i++;
    } else if (c === "+" || c === "-" || c === "*" || c === "/") {
      tokens.push({ kind: "operator", op: c, start: i, end: i + 1 });
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ kind: c === "(" ? "open" : "close", start: i, end: i + 1 });
      i++;
    } else if (c === "#") {
      const read = readReference(text, i);
      tokens.push("error" in read ? errorToken(read.error) : read.token);
      if ("error" in read) return tokens;
      i = read.token.end;
    } else if (digit.test(c) || c === ".") {
      const read = readNumber(text, i);
      tokens.push("error" in read ? errorToken(read.error) : read.token);
      if ("error" in read) return tokens;
      i = read.token.end;
    } else if (c === "<" || c === ">" || c === "!" || c === "=") {
      const read = readComparison(c, next, i);
      tokens.push("error" in read ? errorToken(read.error) : read.token);
      if ("error" in read) return tokens;
      i = read.token.end;
    } else if (wordChar.test(c)) {
      tokens.push(errorToken(bareWord(text, i)));
      return tokens;
    } else {
      tokens.push(errorToken(unknownCharacter(text, i, mode)));
      return tokens;
    }
  }
  tokens.push({ kind: "end", start: text.length, end: text.length });
  return tokens;
}

type Read = { token: Token } | { error: ExpressionError };

function readReference(text: string, start: number): Read {
  if (text[start + 1] !== "{") {
    let end = start + 1;
    while (end < text.length && wordChar.test(text[end] ?? "")) end++;
    const word = text.slice(start + 1, end);
    const example = elementCodePattern.test(word) ? word : "MÃ";
    return {
      error: fail(
        "bad_reference",
        start,
        end - start,
        `Chỉ tiêu viết trong ngoặc nhọn: #{${example}}`,
        `Write an element in braces: #{${example === "MÃ" ? "CODE" : example}}`,
      ),
    };
  }
  let end = start + 2;
  while (end < text.length && !referenceStops.has(text[end] ?? "")) end++;
  if (text[end] !== "}") {
    const shown = text.slice(start, end).trimEnd();
    return {
      error: fail(
        "bad_reference",
        start,
        shown.length,
        `Thiếu dấu “}” để đóng mã chỉ tiêu “${shown}”`,
        `Missing “}” to close the element code “${shown}”`,
      ),
    };
  }
  const code = text.slice(start + 2, end);
  const length = end + 1 - start;
  if (elementCodePattern.test(code)) return { token: { kind: "element", code, start, end: end + 1 } };
  const bad = (vi: string, en: string): Read => ({ error: fail("bad_reference", start, length, vi, en) });
  const upper = code.toUpperCase();
  if (code === "") return bad("Thiếu mã chỉ tiêu trong #{}", "Missing the element code inside #{}");
  if (elementCodePattern.test(upper))
    return bad(`Mã chỉ tiêu viết chữ in hoa: #{${upper}}`, `Element codes are upper-case: #{${upper}}`);
  if (/^[A-Z0-9_]+$/.test(code) && code.length > 64)
    return bad("Mã chỉ tiêu dài quá 64 ký tự", "An element code has at most 64 characters");
  if (/^[0-9_][A-Z0-9_]*$/.test(code))
    return bad(
      "Mã chỉ tiêu phải bắt đầu bằng một chữ cái in hoa",
      "An element code starts with an upper-case letter",
    );
  return bad(
    "Mã chỉ tiêu không hợp lệ: chỉ dùng chữ in hoa không dấu, chữ số và _",
    "Invalid element code: use unaccented upper-case letters, digits and _ only",
  );
}

function readNumber(text: string, start: number): Read {
  let end = start;
  for (;;) {
    const c = text[end] ?? "";
    const continues =
      digit.test(c) || c === "." || wordChar.test(c) || (c === "," && digit.test(text[end + 1] ?? ""));
    if (!continues) break;
    end++;
  }
  const run = text.slice(start, end);
  if (/^[0-9]+(\.[0-9]+)?$/.test(run)) {
    const value = Number(run);
    if (Number.isFinite(value)) return { token: { kind: "number", value, start, end } };
    return { error: fail("invalid_number", start, run.length, "Số quá lớn", "The number is too large") };
  }
  const bad = (vi: string, en: string): Read => ({
    error: fail("invalid_number", start, run.length, vi, en),
  });
  const decimalComma = /^([0-9]+),([0-9]+)$/.exec(run);
  if (decimalComma)
    return bad(
      `Dùng dấu chấm “.” cho phần thập phân: viết ${decimalComma[1]}.${decimalComma[2]}`,
      `Use “.” for decimals: write ${decimalComma[1]}.${decimalComma[2]}`,
    );
  if (/^[0-9]+([.,][0-9]+)+$/.test(run))
    return bad(
      "Không dùng dấu phân cách hàng nghìn; chỉ một dấu chấm “.” cho phần thập phân, ví dụ 13800000 hoặc 1250.5",
      "Do not group thousands; use one “.” for decimals only, e.g. 13800000 or 1250.5",
    );
  if (/^[0-9]+\.$/.test(run))
    return bad("Sau dấu “.” cần chữ số thập phân", "Digits are expected after the decimal point “.”");
  if (/^\.[0-9]+$/.test(run))
    return bad(`Cần chữ số trước dấu “.”: viết 0${run}`, `A digit is expected before “.”: write 0${run}`);
  if (/^[0-9.]+[eE][0-9]*$/.test(run))
    return bad(
      "Không dùng dạng lũy thừa “e”: viết đủ các chữ số",
      "Exponent notation “e” is not used: write all the digits",
    );
  return bad(
    `Số viết không đúng: “${run}”; chỉ dùng chữ số và một dấu chấm “.” thập phân`,
    `Malformed number “${run}”: use digits and at most one decimal point “.”`,
  );
}

function readComparison(c: string, next: string, start: number): Read {
  const two = c + next;
  if (two === "<=" || two === ">=" || two === "==" || two === "!=")
    return { token: { kind: "comparison", op: two, start, end: start + 2 } };
  if (two === "=>" || two === "=<" || two === "<>") {
    const instead = two === "=>" ? ">=" : two === "=<" ? "<=" : "!=";
    return {
      error: fail(
        "unexpected_token",
        start,
        2,
        `Hãy gõ “${instead}” thay cho “${two}”`,
        `Type “${instead}” instead of “${two}”`,
      ),
    };
  }
  if (c === "<" || c === ">") return { token: { kind: "comparison", op: c, start, end: start + 1 } };
  if (c === "=")
    return {
      error: fail(
        "unexpected_token",
        start,
        1,
        "Dùng “==” để so sánh bằng",
        "Use “==” to compare for equality",
      ),
    };
  return {
    error: fail(
      "unexpected_token",
      start,
      1,
      "Sau “!” cần “=”: viết “!=” để so sánh khác",
      "“!” must be followed by “=”: write “!=” for “not equal”",
    ),
  };
}

function bareWord(text: string, start: number): ExpressionError {
  let end = start;
  while (end < text.length && wordChar.test(text[end] ?? "")) end++;
  const word = text.slice(start, end);
  if (word === "x")
    return fail(
      "unexpected_token",
      start,
      1,
      "Hãy gõ “*” thay cho “x” để nhân",
      "Type “*” instead of “x” to multiply",
    );
  const upper = word.toUpperCase();
  const example = elementCodePattern.test(upper) ? upper : undefined;
  return fail(
    "bad_reference",
    start,
    word.length,
    example
      ? `Chỉ tiêu viết dạng #{MÃ}: #{${example}}`
      : `Không hiểu “${word}”: chỉ tiêu viết dạng #{MÃ}, mã gồm chữ in hoa không dấu, chữ số và _`,
    example
      ? `Write elements as #{CODE}: #{${example}}`
      : `“${word}” is not understood: write elements as #{CODE}, with upper-case letters, digits and _`,
  );
}

function unknownCharacter(text: string, start: number, mode: Mode): ExpressionError {
  const c = String.fromCodePoint(text.codePointAt(start) ?? 0);
  const instead = lookalikes[c];
  if (instead)
    return fail(
      "unexpected_token",
      start,
      c.length,
      `Hãy gõ “${instead}” thay cho “${c}”`,
      `Type “${instead}” instead of “${c}”`,
    );
  const allowedVi = mode === "comparison" ? ", phép so sánh" : "";
  const allowedEn = mode === "comparison" ? ", comparisons" : "";
  return fail(
    "unexpected_token",
    start,
    c.length,
    `Không dùng được ký tự “${c}”: chỉ dùng số, chỉ tiêu #{…}, + - * /${allowedVi} và dấu ngoặc`,
    `“${c}” cannot be used: only numbers, elements #{…}, + - * /${allowedEn} and parentheses`,
  );
}

// ——— Parser ———

class ParseFailure {
  readonly error: ExpressionError;
  constructor(error: ExpressionError) {
    this.error = error;
  }
}

const precedence: Record<BinaryOperator, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };

/** A precedence-climbing parser over the token list; it throws {@link ParseFailure} only, caught by its callers. */
class Parser {
  private index = 0;
  private nesting = 0;
  private operators = 0;
  /** The last token taken, for messages such as "after “+” …". */
  private previous: Token | undefined;
  /** The open parentheses around the current position, innermost last. */
  private readonly openParens: Token[] = [];

  private readonly text: string;
  private readonly tokens: readonly Token[];
  private readonly mode: Mode;

  constructor(text: string, mode: Mode) {
    this.text = text;
    this.tokens = tokenize(text, mode);
    this.mode = mode;
  }

  peek(): Token {
    return this.tokens[this.index] ?? { kind: "end", start: this.text.length, end: this.text.length };
  }

  take(): Token {
    const token = this.peek();
    this.index++;
    this.previous = token;
    return token;
  }

  sum(minPrecedence = 1): Expr {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== "operator" || precedence[token.op] < minPrecedence) return left;
      this.take();
      this.count(token);
      const right = this.sum(precedence[token.op] + 1);
      left = {
        kind: "binary",
        op: token.op,
        left,
        right,
        span: { start: spanOf(left).start, end: spanOf(right).end },
      };
    }
  }

  private unary(): Expr {
    const token = this.peek();
    if (token.kind !== "operator" || token.op !== "-") return this.primary();
    this.take();
    this.count(token);
    this.enter(token);
    const operand = this.unary();
    this.nesting--;
    return { kind: "unary", op: "-", operand, span: { start: token.start, end: spanOf(operand).end } };
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case "number":
        this.take();
        return { kind: "number", value: token.value, span: { start: token.start, end: token.end } };
      case "element":
        this.take();
        return { kind: "element", code: token.code, span: { start: token.start, end: token.end } };
      case "open": {
        this.take();
        this.enter(token);
        this.openParens.push(token);
        const inner = this.sum();
        const close = this.peek();
        if (close.kind !== "close") throw new ParseFailure(this.unexpectedAfterOperand(close));
        this.take();
        this.openParens.pop();
        this.nesting--;
        return inner;
      }
      case "error":
        throw new ParseFailure(token.error);
      case "end":
        throw new ParseFailure({ ...this.operandExpected(token), code: "unexpected_end" });
      default:
        throw new ParseFailure(this.operandExpected(token));
    }
  }

  private enter(token: Token) {
    if (++this.nesting <= maxNesting) return;
    throw new ParseFailure(
      fail(
        "too_complex",
        token.start,
        1,
        `Biểu thức lồng quá ${maxNesting} lớp ngoặc hoặc dấu trừ`,
        `The expression nests more than ${maxNesting} levels of parentheses or minus signs`,
      ),
    );
  }

  private count(token: Token) {
    if (++this.operators <= maxOperators) return;
    throw new ParseFailure(
      fail(
        "too_complex",
        token.start,
        1,
        `Biểu thức quá dài: hơn ${maxOperators} phép tính`,
        `The expression is too long: more than ${maxOperators} operations`,
      ),
    );
  }

  /** Where a number, an element or "(" should be, `found` is something else. */
  private operandExpected(found: Token): ExpressionError {
    const length = found.end - found.start;
    const before = this.previous;
    if (found.kind === "close" && before?.kind === "open")
      return fail(
        "unexpected_token",
        found.start,
        length,
        "Trong ngoặc “()” chưa có gì",
        "Nothing inside “()”",
      );
    if (before === undefined)
      return fail(
        "unexpected_token",
        found.start,
        length,
        "Biểu thức phải bắt đầu bằng một số, một chỉ tiêu #{…} hoặc dấu ngoặc",
        "An expression starts with a number, an element #{…} or a parenthesis",
      );
    const after = this.text.slice(before.start, before.end);
    return fail(
      "unexpected_token",
      found.start,
      length,
      `Sau “${after}” cần một số, một chỉ tiêu #{…} hoặc dấu ngoặc`,
      `After “${after}” a number, an element #{…} or a parenthesis is expected`,
    );
  }

  /** After a complete operand, `found` is neither an operator nor what closes the current context. */
  unexpectedAfterOperand(found: Token): ExpressionError {
    const open = this.openParens[this.openParens.length - 1];
    const length = found.end - found.start;
    const shown = this.text.slice(found.start, found.end);
    switch (found.kind) {
      case "error":
        return found.error;
      case "end":
        return open
          ? fail(
              "unclosed_paren",
              open.start,
              1,
              `Thiếu dấu ngoặc đóng “)” cho ngoặc mở ở vị trí ${open.start + 1}`,
              `Missing “)” for the “(” at position ${open.start + 1}`,
            )
          : fail(
              "missing_comparison",
              found.start,
              0,
              "Quy tắc kiểm tra cần một phép so sánh: ==, !=, <, <=, > hoặc >=",
              "A validation rule needs a comparison: ==, !=, <, <=, > or >=",
            );
      case "close":
        return fail(
          "unexpected_token",
          found.start,
          length,
          "Dấu ngoặc đóng “)” thừa: không có ngoặc mở tương ứng",
          "Unmatched “)”: no “(” opens it",
        );
      case "comparison":
        if (this.mode === "expression")
          return fail(
            "unexpected_token",
            found.start,
            length,
            `Biểu thức chỉ tiêu không dùng phép so sánh (“${shown}”); phép so sánh chỉ dùng trong quy tắc kiểm tra`,
            `An indicator expression does not compare (“${shown}”); comparisons belong in validation rules`,
          );
        if (open)
          return fail(
            "unexpected_token",
            found.start,
            length,
            `Phép so sánh “${shown}” không được đặt trong ngoặc; cần “)” đóng ngoặc mở ở vị trí ${open.start + 1}`,
            `A comparison “${shown}” cannot stand inside parentheses; “)” for the “(” at position ${open.start + 1} is expected`,
          );
        return fail(
          "unexpected_token",
          found.start,
          length,
          `Quy tắc kiểm tra chỉ có một phép so sánh; “${shown}” là phép thứ hai`,
          `A validation rule has exactly one comparison; “${shown}” is a second one`,
        );
      default: {
        const closing = open ? ` hoặc “)”` : this.mode === "comparison" ? " hoặc một phép so sánh" : "";
        const closingEn = open ? ` or “)”` : this.mode === "comparison" ? " or a comparison" : "";
        return fail(
          "unexpected_token",
          found.start,
          length,
          `Thiếu phép tính trước “${shown}”: cần +, -, *, /${closing}`,
          `Missing an operator before “${shown}”: expected +, -, *, /${closingEn}`,
        );
      }
    }
  }
}

function spanOf(expr: Expr): Span {
  return expr.span ?? { start: 0, end: 0 };
}

function emptyError(text: string, what: "expression" | "rule"): ExpressionError {
  return fail(
    "empty",
    0,
    text.length,
    what === "expression" ? "Chưa nhập biểu thức" : "Chưa nhập quy tắc kiểm tra",
    what === "expression" ? "The expression is empty" : "The rule is empty",
  );
}

function isBlank(text: string): boolean {
  return text.trim() === "";
}

/**
 * Reads an indicator expression. Never throws: any text yields either a tree or the first problem, with its position.
 *
 * @example
 * parseExpression("#{A} + ") // { ok: false, error: { code: "unexpected_end", position: 7, length: 0, … } }
 */
export function parseExpression(text: string): ParseResult {
  if (isBlank(text)) return { ok: false, error: emptyError(text, "expression") };
  const parser = new Parser(text, "expression");
  try {
    const expr = parser.sum();
    const rest = parser.peek();
    if (rest.kind !== "end") return { ok: false, error: parser.unexpectedAfterOperand(rest) };
    return { ok: true, expr };
  } catch (caught) {
    if (caught instanceof ParseFailure) return { ok: false, error: caught.error };
    throw caught;
  }
}

/**
 * Reads a validation rule `left op right`, e.g. `#{ROAD_KM_CONCRETE} <= #{ROAD_KM_TOTAL}`. Never throws. Error
 * positions, and the spans in both trees, count from the start of the whole text.
 */
export function parseComparison(text: string): ComparisonParseResult {
  if (isBlank(text)) return { ok: false, error: emptyError(text, "rule") };
  const parser = new Parser(text, "comparison");
  try {
    const left = parser.sum();
    const operator = parser.peek();
    if (operator.kind !== "comparison") return { ok: false, error: parser.unexpectedAfterOperand(operator) };
    parser.take();
    const right = parser.sum();
    const rest = parser.peek();
    if (rest.kind !== "end") return { ok: false, error: parser.unexpectedAfterOperand(rest) };
    return { ok: true, left, op: operator.op, right };
  } catch (caught) {
    if (caught instanceof ParseFailure) return { ok: false, error: caught.error };
    throw caught;
  }
}

// ——— Printing ———

/**
 * Canonical text: single spaces around binary operators, no space after unary minus, and only the parentheses the
 * tree needs. Operators are left-associative, so `(a - b) - c` prints as `a - b - c` while `a - (b - c)` and
 * `a + (b + c)` keep theirs: printing then parsing gives back the same tree.
 *
 * A number node prints as plain decimal digits (never `1e-7`), which read back as the same value. The parser never
 * makes negative number nodes (`-3` is unary minus applied to 3); a hand-built one prints as `-3` all the same.
 *
 * @throws RangeError for a number node that is NaN or infinite, which no text can express.
 */
export function printExpression(expr: Expr): string {
  switch (expr.kind) {
    case "number":
      return formatNumber(expr.value);
    case "element":
      return `#{${expr.code}}`;
    case "unary":
      return expr.operand.kind === "binary"
        ? `-(${printExpression(expr.operand)})`
        : `-${printExpression(expr.operand)}`;
    case "binary": {
      const p = precedence[expr.op];
      const left = printExpression(expr.left);
      const right = printExpression(expr.right);
      const wrapLeft = expr.left.kind === "binary" && precedence[expr.left.op] < p;
      const wrapRight = expr.right.kind === "binary" && precedence[expr.right.op] <= p;
      return `${wrapLeft ? `(${left})` : left} ${expr.op} ${wrapRight ? `(${right})` : right}`;
    }
  }
}

/** The shortest decimal that reads back as `value`, written out without an exponent. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be written in an expression`);
  const sign = value < 0 ? "-" : "";
  const shortest = String(Math.abs(value));
  const exponential = /^([0-9])(?:\.([0-9]+))?e([+-][0-9]+)$/.exec(shortest);
  if (!exponential) return sign + shortest;
  const digits = (exponential[1] ?? "") + (exponential[2] ?? "");
  const point = 1 + Number(exponential[3]);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

// ——— Using a tree ———

/** The element codes an expression reads, each once, in order of first appearance. */
export function referencedElements(expr: Expr): string[] {
  const codes = new Set<string>();
  const walk = (e: Expr) => {
    if (e.kind === "element") codes.add(e.code);
    else if (e.kind === "unary") walk(e.operand);
    else if (e.kind === "binary") {
      walk(e.left);
      walk(e.right);
    }
  };
  walk(expr);
  return [...codes];
}

/**
 * The value of an expression, or null when it has none: a referenced element without a value (missing data is not
 * zero — a commune that has not reported its poor households has not reported zero of them), a division by zero, or
 * a result too large to represent. `lookup` returning NaN or an infinity counts as missing.
 *
 * @example
 * evaluateExpression(parsed, (code) => ({ A: 3, B: 4 })[code]) // for "#{A} / #{B}" → 0.75
 */
export function evaluateExpression(
  expr: Expr,
  lookup: (code: string) => number | null | undefined,
): number | null {
  const evaluate = (e: Expr): number | null => {
    switch (e.kind) {
      case "number":
        return e.value;
      case "element": {
        const value = lookup(e.code);
        return typeof value === "number" && Number.isFinite(value) ? value : null;
      }
      case "unary": {
        const operand = evaluate(e.operand);
        return operand === null ? null : -operand;
      }
      case "binary": {
        const left = evaluate(e.left);
        const right = evaluate(e.right);
        if (left === null || right === null) return null;
        if (e.op === "/" && right === 0) return null;
        switch (e.op) {
          case "+":
            return left + right;
          case "-":
            return left - right;
          case "*":
            return left * right;
          case "/":
            return left / right;
        }
      }
    }
  };
  const result = evaluate(expr);
  return result !== null && Number.isFinite(result) ? result : null;
}

/**
 * Whether `left op right` holds, treating values within a relative 1e-9 of each other as equal: data values are
 * decimals held in binary floating point, so `#{A} + #{B} == #{TOTAL}` with 0.1 + 0.2 and 0.3 must hold.
 */
export function compareValues(left: number, op: ComparisonOperator, right: number): boolean {
  const equal = Math.abs(left - right) <= 1e-9 * Math.max(1, Math.abs(left), Math.abs(right));
  switch (op) {
    case "==":
      return equal;
    case "!=":
      return !equal;
    case "<":
      return left < right && !equal;
    case "<=":
      return left < right || equal;
    case ">":
      return left > right && !equal;
    case ">=":
      return left > right || equal;
  }
}

/**
 * One "unknown_element" error for each reference (every occurrence, so an editor underlines each) to a code not in
 * `knownCodes`: the catalogue refuses to save an indicator or rule that reads an element it does not have.
 */
export function checkReferences(expr: Expr, knownCodes: ReadonlySet<string>): ExpressionError[] {
  const errors: ExpressionError[] = [];
  const walk = (e: Expr) => {
    if (e.kind === "element" && !knownCodes.has(e.code)) {
      const span = spanOf(e);
      errors.push(
        fail(
          "unknown_element",
          span.start,
          span.end - span.start,
          `Chưa có chỉ tiêu “${e.code}” trong danh mục`,
          `No data element “${e.code}” in the catalogue`,
        ),
      );
    } else if (e.kind === "unary") walk(e.operand);
    else if (e.kind === "binary") {
      walk(e.left);
      walk(e.right);
    }
  };
  walk(expr);
  return errors;
}
