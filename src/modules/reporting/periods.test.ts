import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  childPeriods,
  contains,
  deadline,
  formatPeriod,
  isOpen,
  nextPeriod,
  type Period,
  type PeriodType,
  parsePeriod,
  periodContaining,
  periodsBetween,
  periodType,
  previousPeriod,
  relativePeriodNames,
  resolveRelativePeriod,
} from "./periods.ts";

/** A period the test knows to be valid; a bad code fails the test through the thrown message. */
function period(code: string): Period {
  return parsePeriod(code) ?? expect.unreachable(`${code} should be a period`);
}

const codes = (periods: readonly (Period | null)[] | null) => periods?.map((p) => p?.code ?? null) ?? null;

const types: readonly PeriodType[] = ["yearly", "sixMonthly", "quarterly", "monthly"];

/** Any valid period from 1900 to 2100, with its code built independently of the module. */
const anyPeriod = fc
  .record({
    type: fc.constantFrom(...types),
    year: fc.integer({ min: 1900, max: 2100 }),
    index: fc.integer({ min: 1, max: 12 }),
  })
  .map(({ type, year, index }) => {
    const code = {
      yearly: `${year}`,
      sixMonthly: `${year}S${((index - 1) % 2) + 1}`,
      quarterly: `${year}Q${((index - 1) % 4) + 1}`,
      monthly: `${year}${String(index).padStart(2, "0")}`,
    }[type];
    return period(code);
  });

/** Any valid period but the last of its type, so it has a next one. */
const notLast = anyPeriod.filter((p) => p.end !== "2100-12-31");

describe("parsing codes", () => {
  it.each([
    ["2025", "yearly", "2025-01-01", "2025-12-31"],
    ["2025S1", "sixMonthly", "2025-01-01", "2025-06-30"],
    ["2025S2", "sixMonthly", "2025-07-01", "2025-12-31"],
    ["2025Q1", "quarterly", "2025-01-01", "2025-03-31"],
    ["2025Q3", "quarterly", "2025-07-01", "2025-09-30"],
    ["2025Q4", "quarterly", "2025-10-01", "2025-12-31"],
    ["202501", "monthly", "2025-01-01", "2025-01-31"],
    ["202502", "monthly", "2025-02-01", "2025-02-28"],
    ["202402", "monthly", "2024-02-01", "2024-02-29"],
    ["202512", "monthly", "2025-12-01", "2025-12-31"],
    ["1900", "yearly", "1900-01-01", "1900-12-31"],
    ["2100Q4", "quarterly", "2100-10-01", "2100-12-31"],
  ])("reads %s as %s from %s to %s", (code, type, start, end) => {
    expect(parsePeriod(code)).toEqual({ code, type, start, end });
  });

  it("keeps February of 1900 to 28 days: a century year that is not a leap year", () => {
    expect(parsePeriod("190002")?.end).toBe("1900-02-28");
  });

  it.each([
    "2025Q5",
    "2025Q0",
    "202513",
    "202500",
    "2025S3",
    "2025S0",
    "25",
    "20251",
    "1899",
    "2101",
    "2101Q1",
    "189912",
    "2025q1",
    " 2025",
    "2025-01",
    "2025W1",
    "",
  ])("refuses %j", (code) => {
    expect(parsePeriod(code)).toBeNull();
  });

  it("names the type of a code, or null for a bad one", () => {
    expect([
      periodType("2025"),
      periodType("2025S2"),
      periodType("2025Q2"),
      periodType("202507"),
      periodType("2025Q9"),
    ]).toEqual(["yearly", "sixMonthly", "quarterly", "monthly", null]);
  });
});

describe("stepping", () => {
  it.each([
    ["202512", "202601"],
    ["2025Q4", "2026Q1"],
    ["2025S2", "2026S1"],
    ["2025", "2026"],
    ["202507", "202508"],
  ])("steps from %s to %s", (from, to) => {
    expect(nextPeriod(period(from))?.code).toBe(to);
  });

  it.each([
    ["202601", "202512"],
    ["2026Q1", "2025Q4"],
    ["2026S1", "2025S2"],
    ["2026", "2025"],
  ])("steps back from %s to %s", (from, to) => {
    expect(previousPeriod(period(from))?.code).toBe(to);
  });

  it("does not step outside 1900–2100", () => {
    expect([nextPeriod(period("210012")), previousPeriod(period("1900Q1"))]).toEqual([null, null]);
  });

  it("lists a range across a year end, both ends included", () => {
    expect(codes(periodsBetween(period("2025Q3"), period("2026Q2")))).toEqual([
      "2025Q3",
      "2025Q4",
      "2026Q1",
      "2026Q2",
    ]);
  });

  it("lists nothing when the range ends before it starts", () => {
    expect(periodsBetween(period("202503"), period("202502"))).toEqual([]);
  });

  it("refuses a range between periods of different types", () => {
    expect(() => periodsBetween(period("2025"), period("202512"))).toThrow(RangeError);
  });

  it("steps back to the same period it stepped forward from", () => {
    fc.assert(
      fc.property(notLast, (p) => {
        const next = nextPeriod(p);
        expect(next && previousPeriod(next)).toEqual(p);
      }),
    );
  });

  it("starts each next period the day after the previous one ends", () => {
    fc.assert(
      fc.property(notLast, (p) => {
        expect(nextPeriod(p)?.start).toBe(dayAfter(p.end));
      }),
    );
  });
});

describe("containment", () => {
  it.each([
    ["2025Q3", "202507", true],
    ["2025", "2025S2", true],
    ["2025S2", "2025Q3", true],
    ["2025Q3", "2025Q3", true],
    ["2025Q3", "202510", false],
    ["202507", "2025Q3", false],
    ["2025", "2026Q1", false],
  ])("%s contains %s: %s", (outer, inner, expected) => {
    expect(contains(period(outer), period(inner))).toBe(expected);
  });

  it.each([
    ["quarterly", "2025-08-15", "2025Q3"],
    ["monthly", "2024-02-29", "202402"],
    ["sixMonthly", "2025-06-30", "2025S1"],
    ["sixMonthly", "2025-07-01", "2025S2"],
    ["yearly", "2025-12-31", "2025"],
  ] as const)("finds the %s period containing %s: %s", (type, date, code) => {
    expect(periodContaining(type, date)?.code).toBe(code);
  });

  it.each(["2025-02-29", "2025-13-01", "2025-7-1", "yesterday"])(
    "finds no period for %j, not a date",
    (date) => {
      expect(periodContaining("monthly", date)).toBeNull();
    },
  );

  it.each([
    ["2025", "quarterly", ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]],
    ["2025", "sixMonthly", ["2025S1", "2025S2"]],
    ["2025Q3", "monthly", ["202507", "202508", "202509"]],
    ["2025S2", "quarterly", ["2025Q3", "2025Q4"]],
    ["2025Q3", "quarterly", ["2025Q3"]],
    ["202507", "quarterly", []],
  ] as const)("splits %s into %s periods %j", (code, type, expected) => {
    expect(codes(childPeriods(period(code), type))).toEqual(expected);
  });

  it("splits a year into its twelve months", () => {
    expect(codes(childPeriods(period("2025"), "monthly"))).toEqual(
      Array.from({ length: 12 }, (_, i) => `2025${String(i + 1).padStart(2, "0")}`),
    );
  });

  it("splits any period into children of a finer or the same type that tile it exactly", () => {
    const withFinerType = anyPeriod.chain((p) =>
      fc.constantFrom(...types.slice(types.indexOf(p.type))).map((type) => [p, type] as const),
    );
    fc.assert(
      fc.property(withFinerType, ([p, type]) => {
        const children = childPeriods(p, type);
        expect({
          first: children[0]?.start,
          last: children.at(-1)?.end,
          types: [...new Set(children.map((c) => c.type))],
          steps: children.slice(1).map((c) => c.code),
        }).toEqual({
          first: p.start,
          last: p.end,
          types: [type],
          steps: children.slice(0, -1).map((c) => nextPeriod(c)?.code),
        });
      }),
    );
  });
});

describe("data entry", () => {
  it("opens a period on its first day", () => {
    expect([isOpen(period("202507"), "2025-06-30"), isOpen(period("202507"), "2025-07-01")]).toEqual([
      false,
      true,
    ]);
  });

  it("keeps a past period open unless told when it expires", () => {
    expect(isOpen(period("2020Q1"), "2026-01-15")).toBe(true);
  });

  it("closes a period the day after its expiry days have run out", () => {
    const march = period("202503");
    expect([
      isOpen(march, "2025-04-10", { expiryDays: 10 }),
      isOpen(march, "2025-04-11", { expiryDays: 10 }),
    ]).toEqual([true, false]);
  });

  it("opens future periods for plans and targets only when asked", () => {
    const q3 = period("2025Q3");
    expect([isOpen(q3, "2025-05-01"), isOpen(q3, "2025-05-01", { openFuturePeriods: 1 })]).toEqual([
      false,
      true,
    ]);
  });

  it.each([
    ["2025Q3", 15, "2025-10-15"],
    ["202512", 10, "2026-01-10"],
    ["202402", 1, "2024-03-01"],
    ["2025", 0, "2025-12-31"],
    ["2025S1", 31, "2025-07-31"],
  ])("sets the deadline of %s, %i days after its end, on %s", (code, days, expected) => {
    expect(deadline(period(code), days)).toBe(expected);
  });

  it("refuses a deadline of a fraction of a day", () => {
    expect(() => deadline(period("2025"), 1.5)).toThrow(RangeError);
  });
});

describe("relative periods", () => {
  const today = "2026-01-15";

  it.each([
    ["THIS_YEAR", ["2026"]],
    ["LAST_YEAR", ["2025"]],
    ["LAST_5_YEARS", ["2021", "2022", "2023", "2024", "2025"]],
    ["THIS_SIX_MONTH", ["2026S1"]],
    ["LAST_SIX_MONTH", ["2025S2"]],
    ["THIS_QUARTER", ["2026Q1"]],
    ["LAST_QUARTER", ["2025Q4"]],
    ["LAST_4_QUARTERS", ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]],
    ["THIS_MONTH", ["202601"]],
    ["LAST_MONTH", ["202512"]],
    [
      "LAST_12_MONTHS",
      [
        "202501",
        "202502",
        "202503",
        "202504",
        "202505",
        "202506",
        "202507",
        "202508",
        "202509",
        "202510",
        "202511",
        "202512",
      ],
    ],
  ])(`resolves %s on ${today} to %j, leaving out the current period from LAST_n`, (name, expected) => {
    expect(codes(resolveRelativePeriod(name, today))).toEqual(expected);
  });

  it("resolves mid-year without crossing a year end", () => {
    expect(codes(resolveRelativePeriod("LAST_SIX_MONTH", "2025-08-01"))).toEqual(["2025S1"]);
  });

  it("knows every relative period it lists", () => {
    expect(relativePeriodNames.filter((name) => resolveRelativePeriod(name, today) === null)).toEqual([]);
  });

  it.each([
    ["LAST_WEEK", today],
    ["toString", today],
    ["THIS_YEAR", "15/01/2026"],
  ])("resolves nothing for %s on %s", (name, date) => {
    expect(resolveRelativePeriod(name, date)).toBeNull();
  });
});

describe("formatting", () => {
  it.each([
    ["2025", "Năm 2025", "2025"],
    ["2025S1", "6 tháng đầu năm 2025", "Jan–Jun 2025"],
    ["2025S2", "6 tháng cuối năm 2025", "Jul–Dec 2025"],
    ["2025Q1", "Quý I/2025", "Q1 2025"],
    ["2025Q3", "Quý III/2025", "Q3 2025"],
    ["2025Q4", "Quý IV/2025", "Q4 2025"],
    ["202507", "Tháng 7/2025", "July 2025"],
    ["202512", "Tháng 12/2025", "December 2025"],
  ])("writes %s as “%s” and “%s”", (code, vi, en) => {
    expect([formatPeriod(period(code), "vi"), formatPeriod(period(code), "en")]).toEqual([vi, en]);
  });
});

function dayAfter(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
