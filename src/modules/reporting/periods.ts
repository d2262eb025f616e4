/**
 * Reporting periods, coded as DHIS2 codes them so that data moves to and from DHIS2 (dataValueSets) unchanged:
 * yearly `2025`, six-monthly `2025S1` / `2025S2`, quarterly `2025Q1`…`2025Q4`, monthly `202501`…`202512`.
 *
 * Every type divides the calendar year, so a period of a finer type lies wholly inside exactly one period of each
 * coarser type: months roll up into quarters, half-years and years without remainder.
 *
 * Dates are ISO `YYYY-MM-DD` strings of calendar days with no time zone (take "today" from `todayInVietnam`), so
 * they compare as strings. Years run from 1900 to 2100; functions return null rather than step outside that range,
 * so every period this module hands out parses back from its code. Pure and dependency-free: it runs in the browser.
 */

export type PeriodType = "yearly" | "sixMonthly" | "quarterly" | "monthly";

export interface Period {
  code: string;
  type: PeriodType;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day, inclusive, YYYY-MM-DD. */
  end: string;
}

export const periodTypes: readonly PeriodType[] = ["yearly", "sixMonthly", "quarterly", "monthly"];

export const minYear = 1900;
export const maxYear = 2100;

const monthsIn: Record<PeriodType, number> = { yearly: 12, sixMonthly: 6, quarterly: 3, monthly: 1 };

const patterns: ReadonlyArray<[PeriodType, RegExp]> = [
  ["yearly", /^([0-9]{4})$/],
  ["sixMonthly", /^([0-9]{4})S([12])$/],
  ["quarterly", /^([0-9]{4})Q([1-4])$/],
  ["monthly", /^([0-9]{4})(0[1-9]|1[0-2])$/],
];

/** The period of `type` numbered `index` (1-based) within `year`, or null outside the supported years. */
function build(type: PeriodType, year: number, index: number): Period | null {
  if (year < minYear || year > maxYear) return null;
  const months = monthsIn[type];
  const firstMonth = (index - 1) * months + 1;
  const lastMonth = firstMonth + months - 1;
  const code =
    type === "yearly"
      ? `${year}`
      : type === "sixMonthly"
        ? `${year}S${index}`
        : type === "quarterly"
          ? `${year}Q${index}`
          : `${year}${pad(index)}`;
  return {
    code,
    type,
    start: isoDate(year, firstMonth, 1),
    end: isoDate(year, lastMonth, daysInMonth(year, lastMonth)),
  };
}

/** Periods of one type counted from year 0, so stepping and ranges are integer arithmetic. */
function ordinal(p: Period): number {
  const year = Number(p.start.slice(0, 4));
  const month = Number(p.start.slice(5, 7));
  const perYear = 12 / monthsIn[p.type];
  return year * perYear + Math.floor((month - 1) / monthsIn[p.type]);
}

function fromOrdinal(type: PeriodType, n: number): Period | null {
  const perYear = 12 / monthsIn[type];
  return build(type, Math.floor(n / perYear), (n % perYear) + 1);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Year, month and day of a real calendar date written YYYY-MM-DD, or null. */
function readDate(value: string): [number, number, number] | null {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return [year, month, day];
}

/**
 * The period a code names, or null for anything else: `2025Q5`, `202513`, `2025S3`, `25`, lower-case `2025q1`,
 * surrounding spaces, years outside 1900–2100. Codes are identities stored as keys, so only the canonical spelling
 * is accepted.
 *
 * @example
 * parsePeriod("2025Q3") // { code: "2025Q3", type: "quarterly", start: "2025-07-01", end: "2025-09-30" }
 */
export function parsePeriod(code: string): Period | null {
  for (const [type, pattern] of patterns) {
    const match = pattern.exec(code);
    if (match) return build(type, Number(match[1]), type === "yearly" ? 1 : Number(match[2]));
  }
  return null;
}

/** The type of a period code, or null when the code is not a valid period. */
export function periodType(code: string): PeriodType | null {
  return parsePeriod(code)?.type ?? null;
}

/** The period after `p`, of the same type (202512 → 202601); null after 2100. */
export function nextPeriod(p: Period): Period | null {
  return fromOrdinal(p.type, ordinal(p) + 1);
}

/** The period before `p`, of the same type (2025Q1 → 2024Q4); null before 1900. */
export function previousPeriod(p: Period): Period | null {
  return fromOrdinal(p.type, ordinal(p) - 1);
}

/**
 * The periods from `from` to `to`, both included, oldest first; empty when `to` comes before `from`.
 *
 * @throws RangeError when the two are of different types: "from a month to a year" has no meaning, and saying so
 *   finds the caller's mistake where an empty list would hide it. Callers taking types from users check them first.
 */
export function periodsBetween(from: Period, to: Period): Period[] {
  if (from.type !== to.type)
    throw new RangeError(`Cannot list periods from ${from.code} (${from.type}) to ${to.code} (${to.type})`);
  const periods: Period[] = [];
  for (let n = ordinal(from); n <= ordinal(to); n++) {
    const p = fromOrdinal(from.type, n);
    if (p) periods.push(p);
  }
  return periods;
}

/** The period of `type` that contains a date (`quarterly`, 2025-08-15 → 2025Q3); null for a date that is not one. */
export function periodContaining(type: PeriodType, isoDateValue: string): Period | null {
  const date = readDate(isoDateValue);
  if (!date) return null;
  const [year, month] = date;
  return build(type, year, Math.floor((month - 1) / monthsIn[type]) + 1);
}

/** Whether `inner` lies wholly within `outer` (2025Q3 contains 202507; 2025 contains 2025S2). A period contains itself. */
export function contains(outer: Period, inner: Period): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/**
 * The periods of `type` that make up `p`, in order: 2025 → its four quarters; 2025Q3 → 202507, 202508, 202509. They
 * tile `p` exactly, which is what rolling months up into quarters and years relies on. `p` itself for its own type;
 * empty for a coarser type (a month has no quarters).
 */
export function childPeriods(p: Period, type: PeriodType): Period[] {
  if (monthsIn[type] > monthsIn[p.type]) return [];
  const first = periodContaining(type, p.start);
  const last = periodContaining(type, p.end);
  return first && last ? periodsBetween(first, last) : [];
}

export interface OpenOptions {
  /**
   * How many periods after the current one are open too, for entering plans and targets ahead (DHIS2's "open
   * future periods"). Default 0.
   */
  openFuturePeriods?: number;
  /** Days after a period's end after which it closes for entry (DHIS2's "expiry days"). Default: it never closes. */
  expiryDays?: number;
}

/**
 * Whether data may be entered for `p` on `today`. A period opens on its first day, not its last: a commune records
 * what it knows as the month goes, and submits after it ends. Unless options say otherwise a period stays open;
 * approval, not the calendar, is what locks a report.
 */
export function isOpen(p: Period, today: string, options: OpenOptions = {}): boolean {
  const current = periodContaining(p.type, today);
  if (!current) return false;
  const lastOpen = ordinal(current) + (options.openFuturePeriods ?? 0);
  if (ordinal(p) > lastOpen) return false;
  return options.expiryDays === undefined || today <= addDays(p.end, options.expiryDays);
}

/** The day `daysAfterEnd` days after the period's last day: 2025Q3 with 15 → 2025-10-15. */
export function deadline(p: Period, daysAfterEnd: number): string {
  return addDays(p.end, daysAfterEnd);
}

function addDays(isoDateValue: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`${days} is not a whole number of days`);
  const date = new Date(`${isoDateValue}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export type RelativePeriodName =
  | "THIS_YEAR"
  | "LAST_YEAR"
  | "LAST_5_YEARS"
  | "THIS_SIX_MONTH"
  | "LAST_SIX_MONTH"
  | "THIS_QUARTER"
  | "LAST_QUARTER"
  | "LAST_4_QUARTERS"
  | "THIS_MONTH"
  | "LAST_MONTH"
  | "LAST_12_MONTHS";

/** For each name: the period type, and which periods counted back from the current one (0 = current). */
const relative: Record<RelativePeriodName, [PeriodType, number, number]> = {
  THIS_YEAR: ["yearly", 0, 0],
  LAST_YEAR: ["yearly", 1, 1],
  LAST_5_YEARS: ["yearly", 5, 1],
  THIS_SIX_MONTH: ["sixMonthly", 0, 0],
  LAST_SIX_MONTH: ["sixMonthly", 1, 1],
  THIS_QUARTER: ["quarterly", 0, 0],
  LAST_QUARTER: ["quarterly", 1, 1],
  LAST_4_QUARTERS: ["quarterly", 4, 1],
  THIS_MONTH: ["monthly", 0, 0],
  LAST_MONTH: ["monthly", 1, 1],
  LAST_12_MONTHS: ["monthly", 12, 1],
};

export const relativePeriodNames = Object.keys(relative) as RelativePeriodName[];

function isRelativePeriodName(name: string): name is RelativePeriodName {
  return Object.hasOwn(relative, name);
}

/**
 * The periods a relative period names on `today`, oldest first, as DHIS2 analytics resolves them: "LAST_n" stops
 * before the current period, whose data are still coming in (on 2026-01-15, LAST_12_MONTHS is 202501…202512 and
 * THIS_QUARTER is 2026Q1). Null for an unknown name or a `today` that is not a date.
 */
export function resolveRelativePeriod(name: string, today: string): Period[] | null {
  if (!isRelativePeriodName(name)) return null;
  const [type, back, until] = relative[name];
  const current = periodContaining(type, today);
  if (!current) return null;
  const periods: Period[] = [];
  for (let n = ordinal(current) - back; n <= ordinal(current) - until; n++) {
    const p = fromOrdinal(type, n);
    if (p) periods.push(p);
  }
  return periods;
}

const monthNamesEn = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const romanQuarters = ["I", "II", "III", "IV"];

/**
 * A period as people write it. Vietnamese follows official reports: "Năm 2025", "6 tháng đầu năm 2025", "Quý III/2025",
 * "Tháng 7/2025"; English: "2025", "Jan–Jun 2025", "Q3 2025", "July 2025".
 */
export function formatPeriod(p: Period, locale: "vi" | "en"): string {
  const year = p.start.slice(0, 4);
  const month = Number(p.start.slice(5, 7));
  const index = Math.floor((month - 1) / monthsIn[p.type]) + 1;
  const vi = locale === "vi";
  switch (p.type) {
    case "yearly":
      return vi ? `Năm ${year}` : year;
    case "sixMonthly":
      if (vi) return `6 tháng ${index === 1 ? "đầu" : "cuối"} năm ${year}`;
      return `${index === 1 ? "Jan–Jun" : "Jul–Dec"} ${year}`;
    case "quarterly":
      return vi ? `Quý ${romanQuarters[index - 1]}/${year}` : `Q${index} ${year}`;
    case "monthly":
      return vi ? `Tháng ${month}/${year}` : `${monthNamesEn[month - 1]} ${year}`;
  }
}
