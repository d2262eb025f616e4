import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkReferences,
  compareValues,
  type Expr,
  evaluateExpression,
  parseComparison,
  parseExpression,
  printExpression,
  referencedElements,
} from "./expression.ts";

/** The tree with every node parenthesised, so a test can state the shape the parser built. */
function shape(e: Expr): string {
  switch (e.kind) {
    case "number":
      return String(e.value);
    case "element":
      return `#{${e.code}}`;
    case "unary":
      return `(-${shape(e.operand)})`;
    case "binary":
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
  }
}

function shapeOf(text: string): string {
  const parsed = parseExpression(text);
  return parsed.ok ? shape(parsed.expr) : `error ${parsed.error.code}`;
}

/** The tree without positions, for comparing trees read from different texts. */
function withoutSpans(e: Expr): Expr {
  switch (e.kind) {
    case "number":
      return { kind: "number", value: e.value };
    case "element":
      return { kind: "element", code: e.code };
    case "unary":
      return { kind: "unary", op: "-", operand: withoutSpans(e.operand) };
    case "binary":
      return { kind: "binary", op: e.op, left: withoutSpans(e.left), right: withoutSpans(e.right) };
  }
}

/** Parses text the test knows to be valid; a parse error fails the test through the thrown message. */
function parsed(text: string): Expr {
  const result = parseExpression(text);
  return result.ok ? result.expr : expect.unreachable(`"${text}" should parse: ${result.error.message.en}`);
}

const values: Record<string, number> = { HH_POOR: 30, HH_NEAR_POOR: 20, HH_TOTAL: 400, ZERO: 0 };
const reported = (code: string) => values[code];

describe("reading expressions", () => {
  it.each([
    ["1 + 2 * 3", "(1 + (2 * 3))"],
    ["1 * 2 + 3", "((1 * 2) + 3)"],
    ["1 - 2 - 3", "((1 - 2) - 3)"],
    ["8 / 4 / 2", "((8 / 4) / 2)"],
    ["8 / 4 * 2", "((8 / 4) * 2)"],
    ["(1 + 2) * 3", "((1 + 2) * 3)"],
    ["1 - (2 - 3)", "(1 - (2 - 3))"],
  ])("gives %s the shape %s (usual precedence, left-associative)", (text, expected) => {
    expect(shapeOf(text)).toBe(expected);
  });

  it.each([
    ["-#{A} * 2", "((-#{A}) * 2)"],
    ["2 * -3", "(2 * (-3))"],
    ["1 - -2", "(1 - (-2))"],
    ["- - 1", "(-(-1))"],
    ["-(#{A} + 1)", "(-(#{A} + 1))"],
  ])("binds unary minus tighter than any binary operator: %s is %s", (text, expected) => {
    expect(shapeOf(text)).toBe(expected);
  });

  it("reads element references and decimal numbers", () => {
    expect(shapeOf("(#{HH_POOR} + #{HH_NEAR_POOR}) * 100.5 / #{HH_TOTAL}")).toBe(
      "(((#{HH_POOR} + #{HH_NEAR_POOR}) * 100.5) / #{HH_TOTAL})",
    );
  });

  it("allows any whitespace between tokens, including tabs, new lines and no-break spaces", () => {
    expect(shapeOf("\t#{A}\n+\u00a01 *2 ")).toBe(shapeOf("#{A} + 1 * 2"));
  });

  it("records where each node stands in the text", () => {
    expect(parsed("2 * #{AB}")).toMatchObject({
      span: { start: 0, end: 9 },
      left: { span: { start: 0, end: 1 } },
      right: { span: { start: 4, end: 9 } },
    });
  });

  it("accepts a code of 64 characters", () => {
    expect(shapeOf(`#{A${"B".repeat(63)}}`)).toBe(`#{A${"B".repeat(63)}}`);
  });
});

describe("reporting mistakes", () => {
  it.each([
    ["#{A} + ", "unexpected_end", 7, 0],
    ["(#{A} + 1", "unclosed_paren", 0, 1],
    ["1 + ((#{A} + 1)", "unclosed_paren", 4, 1],
    ["#{a}", "bad_reference", 0, 4],
    ["#{A} ^ 2", "unexpected_token", 5, 1],
    ["", "empty", 0, 0],
    ["   ", "empty", 0, 3],
    ["1.", "invalid_number", 0, 2],
    ["2 * 1,5", "invalid_number", 4, 3],
    ["13.800.000", "invalid_number", 0, 10],
    ["1e5", "invalid_number", 0, 3],
    ["#{}", "bad_reference", 0, 3],
    ["#{1A}", "bad_reference", 0, 5],
    [`#{A${"B".repeat(64)}}`, "bad_reference", 0, 68],
    ["#{ROAD + 1", "bad_reference", 0, 6],
    ["#ROAD", "bad_reference", 0, 5],
    ["1 + ROAD_KM", "bad_reference", 4, 7],
    ["#{A})", "unexpected_token", 4, 1],
    ["#{A} #{B}", "unexpected_token", 5, 4],
    ["* 2", "unexpected_token", 0, 1],
    ["+2", "unexpected_token", 0, 1],
    ["()", "unexpected_token", 1, 1],
    ["#{A} <= 1", "unexpected_token", 5, 2],
    ["1 + 😀", "unexpected_token", 4, 2],
    [`${"(".repeat(101)}1${")".repeat(101)}`, "too_complex", 100, 1],
    [Array.from({ length: 1002 }, () => "1").join("+"), "too_complex", 2001, 1],
  ])("reads %j as %s at %i, %i long", (text, code, position, length) => {
    expect(parseExpression(text)).toEqual({
      ok: false,
      error: { code, position, length, message: { vi: expect.any(String), en: expect.any(String) } },
    });
  });

  it("says in Vietnamese what an operator needs after it", () => {
    expect(parseExpression("#{A} + ")).toMatchObject({
      error: { message: { vi: "Sau “+” cần một số, một chỉ tiêu #{…} hoặc dấu ngoặc" } },
    });
  });

  it("names the position of an unclosed parenthesis for people, counting from 1", () => {
    expect(parseExpression("1 + (#{A} + 1")).toMatchObject({
      error: {
        message: {
          vi: "Thiếu dấu ngoặc đóng “)” cho ngoặc mở ở vị trí 5",
          en: "Missing “)” for the “(” at position 5",
        },
      },
    });
  });

  it("explains which characters an element code may use", () => {
    expect(parseExpression("#{ROAD-KM}")).toMatchObject({
      error: { message: { vi: "Mã chỉ tiêu không hợp lệ: chỉ dùng chữ in hoa không dấu, chữ số và _" } },
    });
  });

  it("suggests the upper-case code for a lower-case one", () => {
    expect(parseExpression("#{hh_poor}")).toMatchObject({
      error: {
        message: {
          vi: "Mã chỉ tiêu viết chữ in hoa: #{HH_POOR}",
          en: "Element codes are upper-case: #{HH_POOR}",
        },
      },
    });
  });

  it.each([
    ["1,5", "viết 1.5"],
    ["#{A} : 2", "Hãy gõ “/” thay cho “:”"],
    ["#{A} × 2", "Hãy gõ “*” thay cho “×”"],
    ["#{A} − 2", "Hãy gõ “-” thay cho “−”"],
    ["2 x 3", "Hãy gõ “*” thay cho “x”"],
    ["ROAD_KM", "#{ROAD_KM}"],
  ])("tells someone who typed %j what to type instead", (text, hint) => {
    expect(parseExpression(text)).toMatchObject({
      error: { message: { vi: expect.stringContaining(hint) } },
    });
  });
});

describe("printing", () => {
  it.each([
    ["(#{A} - #{B}) - #{C}", "#{A} - #{B} - #{C}"],
    ["#{A} - (#{B} - #{C})", "#{A} - (#{B} - #{C})"],
    ["#{A} + (#{B} + #{C})", "#{A} + (#{B} + #{C})"],
    ["(#{A} * #{B}) + #{C}", "#{A} * #{B} + #{C}"],
    ["#{A} * (#{B} + #{C})", "#{A} * (#{B} + #{C})"],
    ["#{A} / (#{B} * #{C})", "#{A} / (#{B} * #{C})"],
    ["((#{A}))", "#{A}"],
    ["-(#{A})", "-#{A}"],
    ["-(#{A} * 2)", "-(#{A} * 2)"],
    ["  (  #{A}+1 )*2", "(#{A} + 1) * 2"],
    ["007.50", "7.5"],
  ])("prints %s as %s", (text, expected) => {
    expect(printExpression(parsed(text))).toBe(expected);
  });

  it.each([
    [1e-7, "0.0000001"],
    [1.234e-10, "0.0000000001234"],
    [1.5e21, "1500000000000000000000"],
  ])("writes %d without an exponent, which the language has not", (value, expected) => {
    expect(printExpression({ kind: "number", value })).toBe(expected);
  });

  it("refuses a number no text can express", () => {
    expect(() => printExpression({ kind: "number", value: Number.NaN })).toThrow(RangeError);
  });
});

describe("referenced elements", () => {
  it("lists each code once, in order of first appearance", () => {
    expect(referencedElements(parsed("#{B} + #{A} * #{B} - (#{C} / #{A})"))).toEqual(["B", "A", "C"]);
  });

  it("lists nothing for a constant", () => {
    expect(referencedElements(parsed("100 * -2"))).toEqual([]);
  });
});

describe("evaluation", () => {
  it("computes an indicator from element values", () => {
    expect(evaluateExpression(parsed("(#{HH_POOR} + #{HH_NEAR_POOR}) * 100 / #{HH_TOTAL}"), reported)).toBe(
      12.5,
    );
  });

  it("is null when a referenced value is missing, even where zero would not matter", () => {
    expect(evaluateExpression(parsed("#{HH_POOR} + 0 * #{MISSING}"), reported)).toBeNull();
  });

  it("counts a reported zero as a value, not as missing", () => {
    expect(evaluateExpression(parsed("#{HH_POOR} + #{ZERO}"), reported)).toBe(30);
  });

  it("treats null and NaN from the lookup as missing", () => {
    expect([
      evaluateExpression(parsed("#{A} + 1"), () => null),
      evaluateExpression(parsed("#{A} + 1"), () => Number.NaN),
    ]).toEqual([null, null]);
  });

  it("is null on division by zero", () => {
    expect(evaluateExpression(parsed("#{HH_POOR} / #{ZERO}"), reported)).toBeNull();
  });

  it("is null when the result overflows", () => {
    expect(evaluateExpression(parsed("#{A} * #{A}"), () => 1e200)).toBeNull();
  });

  it("applies unary minus", () => {
    expect(evaluateExpression(parsed("-#{HH_POOR} * 2 - -1"), reported)).toBe(-59);
  });
});

describe("comparisons", () => {
  it("reads a validation rule into two sides and an operator", () => {
    const rule = parseComparison("#{ROAD_KM_CONCRETE} <= #{ROAD_KM_TOTAL} * 1.1");
    expect(rule).toMatchObject({ ok: true, op: "<=" });
  });

  it.each(["==", "!=", "<", "<=", ">", ">="])("knows the operator %s", (op) => {
    expect(parseComparison(`#{A} ${op} 1`)).toMatchObject({ ok: true, op });
  });

  it("keeps positions in the right side relative to the whole text", () => {
    expect(parseComparison("#{A} >= 2 * #{B}")).toMatchObject({
      right: { right: { span: { start: 12, end: 16 } } },
    });
  });

  it.each([
    ["#{A} + #{B}", "missing_comparison", 11, 0],
    ["#{A} < #{B} < 1", "unexpected_token", 12, 1],
    ["#{A} <=", "unexpected_end", 7, 0],
    ["#{A} <= (1 + ", "unexpected_end", 13, 0],
    ["#{A} <= (1 + 2", "unclosed_paren", 8, 1],
    ["(#{A} < 1)", "unexpected_token", 6, 1],
    ["#{A} = 1", "unexpected_token", 5, 1],
    ["#{A} => 1", "unexpected_token", 5, 2],
    ["#{A} ≤ 1", "unexpected_token", 5, 1],
    ["1 <= #{x}", "bad_reference", 5, 4],
    [" ", "empty", 0, 1],
  ])("reads the rule %j as %s at %i, %i long", (text, code, position, length) => {
    expect(parseComparison(text)).toMatchObject({ ok: false, error: { code, position, length } });
  });

  it("holds for equal sums despite binary floating point", () => {
    expect(compareValues(0.1 + 0.2, "==", 0.3)).toBe(true);
  });

  it.each([
    [1, "<", 2, true],
    [0.1 + 0.2, "<", 0.3, false],
    [0.1 + 0.2, ">", 0.3, false],
    [0.3, ">=", 0.1 + 0.2, true],
    [2, "<=", 1, false],
    [1, "!=", 1.5, true],
  ] as const)("decides %d %s %d as %s", (left, op, right, holds) => {
    expect(compareValues(left, op, right)).toBe(holds);
  });
});

describe("unknown elements", () => {
  it("flags each reference to an unknown code, every occurrence, with its position", () => {
    expect(checkReferences(parsed("#{X} + #{HH_POOR} / #{X}"), new Set(["HH_POOR"]))).toEqual([
      { code: "unknown_element", position: 0, length: 4, message: expect.anything() },
      { code: "unknown_element", position: 20, length: 4, message: expect.anything() },
    ]);
  });

  it("names the code in both languages", () => {
    expect(checkReferences(parsed("#{ROAD_KM}"), new Set())).toMatchObject([
      {
        message: {
          vi: "Chưa có chỉ tiêu “ROAD_KM” trong danh mục",
          en: "No data element “ROAD_KM” in the catalogue",
        },
      },
    ]);
  });

  it("finds nothing to flag when every code is known", () => {
    expect(checkReferences(parsed("#{A} / #{B}"), new Set(["A", "B"]))).toEqual([]);
  });
});

describe("properties", () => {
  const codes = ["A", "B", "HH_POOR", "ROAD_KM_TOTAL"] as const;
  const number = fc.oneof(
    fc.nat(1000),
    fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 100),
    fc.constantFrom(0.1, 1e-7, 1.5e21, 123456789.125),
  );
  const { expr } = fc.letrec<{ expr: Expr; leaf: Expr; node: Expr }>((tie) => ({
    expr: fc.oneof({ depthSize: "small", maxDepth: 6 }, tie("leaf"), tie("node")),
    leaf: fc.oneof(
      number.map((value): Expr => ({ kind: "number", value })),
      fc.constantFrom(...codes).map((code): Expr => ({ kind: "element", code })),
    ),
    node: fc.oneof(
      tie("expr").map((operand): Expr => ({ kind: "unary", op: "-", operand })),
      fc
        .tuple(fc.constantFrom("+", "-", "*", "/"), tie("expr"), tie("expr"))
        .map(([op, left, right]): Expr => ({ kind: "binary", op, left, right })),
    ),
  }));
  const grammarText = fc.string({
    unit: fc.constantFrom(..."#{}()+-*/.,0123456789 AZ_az<>=!:^é😀\n".split(""), "😀"),
    maxLength: 40,
  });

  it("reads back every printed expression as the same tree, and prints it the same way again", () => {
    fc.assert(
      fc.property(expr, (e) => {
        const reread = parseExpression(printExpression(e));
        const printedAgain = reread.ok ? printExpression(reread.expr) : reread.error.message.en;
        expect(reread.ok && withoutSpans(reread.expr)).toEqual(e);
        expect(printedAgain).toBe(printExpression(e));
      }),
    );
  });

  it("never throws and points inside the text, whatever it is given", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), grammarText), (text) => {
        const errors = [parseExpression(text), parseComparison(text)].flatMap((r) => (r.ok ? [] : [r.error]));
        const outside = errors.filter(
          (e) => e.position < 0 || e.length < 0 || e.position + e.length > text.length,
        );
        expect(outside).toEqual([]);
      }),
    );
  });

  it("evaluates a printed and re-read expression exactly as the original", () => {
    const lookups = fc.tuple(...codes.map(() => fc.option(fc.integer({ min: -50, max: 50 }))));
    fc.assert(
      fc.property(expr, lookups, (e, found) => {
        const lookup = (code: string) => found[codes.indexOf(code as (typeof codes)[number])];
        const reread = parseExpression(printExpression(e));
        expect(reread.ok && evaluateExpression(reread.expr, lookup)).toBe(evaluateExpression(e, lookup));
      }),
    );
  });
});
