import { describe, expect, it } from "vitest";
import { criterionState, gapOf, projectYear, satisfies, standardProjection } from "./projection.ts";

const series = (from: number, values: number[]) => values.map((value, i) => ({ year: from + i, value }));

describe("projectYear", () => {
  it("finds the year a rising linear series reaches its threshold", () => {
    // 40, 45, 50 in 2023–2025: +5 a year reaches 60 in 2027.
    expect(projectYear(series(2023, [40, 45, 50]), ">=", 60, 2025)).toMatchObject({
      kind: "year",
      year: 2027,
    });
  });

  it("finds the year a falling rate reaches a ceiling", () => {
    // Poverty 16, 14, 12, 10 %: −2 a year is at or below 6 % in 2027.
    expect(projectYear(series(2022, [16, 14, 12, 10]), "<=", 6, 2025)).toMatchObject({
      kind: "year",
      year: 2027,
    });
  });

  it("says not at this pace for a flat series", () => {
    expect(projectYear(series(2022, [50, 50, 50]), ">=", 60, 2024)).toMatchObject({
      kind: "not_at_this_pace",
    });
  });

  it("says not at this pace for a series moving away from the threshold", () => {
    expect(projectYear(series(2022, [55, 52, 50]), ">=", 60, 2024)).toMatchObject({
      kind: "not_at_this_pace",
    });
  });

  it("says not at this pace when the trend would take longer than the horizon", () => {
    expect(projectYear(series(2023, [10, 10.1, 10.2]), ">=", 90, 2025)).toMatchObject({
      kind: "not_at_this_pace",
    });
  });

  it("cannot project from a single year", () => {
    expect(projectYear(series(2025, [50]), ">=", 60, 2025)).toMatchObject({
      kind: "cannot_project",
      reason: "too_few_years",
    });
  });

  it("ignores years after the one evaluated", () => {
    expect(projectYear(series(2023, [40, 45, 50, 90]), ">=", 60, 2025)).toMatchObject({
      kind: "year",
      year: 2027,
    });
  });
});

describe("comparison and gap", () => {
  it("measures the gap in the indicator's units", () => {
    expect(gapOf(54.5, ">=", 70)).toBeCloseTo(15.5);
    expect(gapOf(10, "<=", 6)).toBe(4);
    expect(satisfies(70, ">=", 70)).toBe(true);
    expect(satisfies(0, "==", 1)).toBe(false);
  });
});

describe("criteria and the whole standard", () => {
  it("keeps no data apart from not met", () => {
    expect(criterionState(["met", "no_data"])).toBe("no_data");
    expect(criterionState(["no_data", "not_met"])).toBe("not_met");
    expect(criterionState([])).toBe("no_data");
  });

  it("names the binding criteria and the year the last one is met", () => {
    expect(
      standardProjection([
        { code: "C01", state: "met", projectedYear: null, blocked: false },
        { code: "C02", state: "not_met", projectedYear: 2027, blocked: false },
        { code: "C06", state: "not_met", projectedYear: 2029, blocked: false },
      ]),
    ).toEqual({ kind: "year", year: 2029, binding: ["C06"] });
  });

  it("gives no year when a criterion is not met at this pace", () => {
    expect(
      standardProjection([
        { code: "C02", state: "not_met", projectedYear: 2027, blocked: false },
        { code: "C03", state: "not_met", projectedYear: null, blocked: true },
      ]),
    ).toEqual({ kind: "not_at_this_pace", blocking: ["C03"] });
  });
});
