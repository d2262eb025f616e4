import { describe, expect, it } from "vitest";
import { readNumber, vietnameseWords } from "./number-text.ts";

describe("reading a typed number", () => {
  it("reads Vietnamese grouping and decimals", () => {
    expect(readNumber("1.234,5", "vi")).toEqual({ kind: "number", value: 1234.5 });
  });

  it("reads a number typed the calculator way", () => {
    expect(readNumber("1234.5", "vi")).toEqual({ kind: "number", value: 1234.5 });
  });

  it("reads a Vietnamese decimal comma", () => {
    expect(readNumber("3,5", "vi")).toEqual({ kind: "number", value: 3.5 });
  });

  it("reads several thousands groups without asking", () => {
    expect(readNumber("1.234.567", "vi")).toEqual({ kind: "number", value: 1234567 });
  });

  it("reads spaces and no-break spaces as grouping", () => {
    expect(readNumber("1\u00a0234 567", "vi")).toEqual({ kind: "number", value: 1234567 });
  });

  it("asks about 1.250: one thousand two hundred and fifty, or one point two five", () => {
    expect(readNumber("1.250", "vi")).toEqual({ kind: "ambiguous", grouped: 1250, decimal: 1.25 });
  });

  it("asks about 12,500 as well, whatever the language", () => {
    expect(readNumber("12,500", "en")).toEqual({ kind: "ambiguous", grouped: 12500, decimal: 12.5 });
  });

  it("does not ask when the number starts with zero", () => {
    expect(readNumber("0.250", "vi")).toEqual({ kind: "number", value: 0.25 });
  });

  it("does not ask when two decimals follow the separator", () => {
    expect(readNumber("1,25", "vi")).toEqual({ kind: "number", value: 1.25 });
  });

  it("reads English grouping in the English UI", () => {
    expect(readNumber("1,234,567.5", "en")).toEqual({ kind: "number", value: 1234567.5 });
  });

  it("accepts a leading minus sign", () => {
    expect(readNumber("−3,5", "vi")).toEqual({ kind: "number", value: -3.5 });
  });

  it("refuses letters", () => {
    expect(readNumber("12km", "vi")).toEqual({ kind: "invalid" });
  });

  it("refuses misplaced grouping", () => {
    expect(readNumber("1.23.4", "vi")).toEqual({ kind: "invalid" });
  });

  it("refuses an empty text", () => {
    expect(readNumber("  ", "vi")).toEqual({ kind: "invalid" });
  });
});

describe("a number in Vietnamese words", () => {
  it("reads 1250", () => {
    expect(vietnameseWords(1250)).toBe("một nghìn hai trăm năm mươi");
  });

  it("reads decimals digit by digit", () => {
    expect(vietnameseWords(1.25)).toBe("một phẩy hai năm");
  });

  it("says mốt, lăm and linh where Vietnamese does", () => {
    expect([vietnameseWords(21), vietnameseWords(15), vietnameseWords(105)]).toEqual([
      "hai mươi mốt",
      "mười lăm",
      "một trăm linh năm",
    ]);
  });

  it("reads zero hundreds inside a larger number", () => {
    expect(vietnameseWords(12005)).toBe("mười hai nghìn không trăm linh năm");
  });

  it("skips an empty thousands group", () => {
    expect(vietnameseWords(2000300)).toBe("hai triệu ba trăm");
  });
});
