import type { PeriodType } from "./api.ts";

/**
 * Period codes as the server writes them (src/modules/reporting/periods.ts): 2025, 2025S1, 2025Q3, 202507. A period
 * is open for data from its first day, so the latest open one is the one today falls in (Vietnam's today).
 */

export interface PeriodOption {
  code: string;
  type: PeriodType;
  year: number;
  /** Half (1–2), quarter (1–4) or month (1–12); 0 for a year. */
  part: number;
}

const perYear: Record<PeriodType, number> = { yearly: 1, sixMonthly: 2, quarterly: 4, monthly: 12 };

function codeOf(type: PeriodType, year: number, part: number): string {
  switch (type) {
    case "yearly":
      return String(year);
    case "sixMonthly":
      return `${year}S${part}`;
    case "quarterly":
      return `${year}Q${part}`;
    case "monthly":
      return `${year}${String(part).padStart(2, "0")}`;
  }
}

/** "2025Q3" → its parts, when it is a period code of that type. */
export function parsePeriodCode(code: string, type: PeriodType): PeriodOption | undefined {
  const patterns: Record<PeriodType, RegExp> = {
    yearly: /^(\d{4})$/,
    sixMonthly: /^(\d{4})S([12])$/,
    quarterly: /^(\d{4})Q([1-4])$/,
    monthly: /^(\d{4})(0[1-9]|1[0-2])$/,
  };
  const match = patterns[type].exec(code);
  if (!match) return undefined;
  return { code, type, year: Number(match[1]), part: match[2] ? Number(match[2]) : 0 };
}

/** The period of this type that `isoDay` falls in: the latest open one. */
export function currentPeriod(type: PeriodType, isoDay: string): PeriodOption {
  const year = Number(isoDay.slice(0, 4));
  const month = Number(isoDay.slice(5, 7));
  const part = type === "yearly" ? 0 : Math.ceil(month / (12 / perYear[type]));
  return { code: codeOf(type, year, part), type, year, part };
}

/** The open periods of a type, newest first, going back `years` years (demo data reaches back to 2014). */
export function openPeriods(type: PeriodType, isoDay: string, years = 15): PeriodOption[] {
  const latest = currentPeriod(type, isoDay);
  const options: PeriodOption[] = [];
  for (let year = latest.year; year > latest.year - years; year--) {
    const last = year === latest.year ? latest.part : perYear[type];
    if (type === "yearly") options.push({ code: codeOf(type, year, 0), type, year, part: 0 });
    else
      for (let part = last; part >= 1; part--)
        options.push({ code: codeOf(type, year, part), type, year, part });
  }
  return options;
}

/**
 * The latest period of a type that has ended on `isoDay`: the one being reported now (reports are submitted after
 * their period). On 1 December 2026 a yearly form's is 2025, not the 2026 still running.
 */
export function lastEndedPeriod(type: PeriodType, isoDay: string): PeriodOption {
  const current = currentPeriod(type, isoDay);
  if (type === "yearly")
    return { code: codeOf(type, current.year - 1, 0), type, year: current.year - 1, part: 0 };
  if (current.part > 1)
    return {
      code: codeOf(type, current.year, current.part - 1),
      type,
      year: current.year,
      part: current.part - 1,
    };
  const last = perYear[type];
  return { code: codeOf(type, current.year - 1, last), type, year: current.year - 1, part: last };
}
