import type { PeriodType } from "../catalogue/api.ts";
import type { DeadlineRule } from "./api.ts";

const monthsIn: Record<PeriodType, number> = { yearly: 12, sixMonthly: 6, quarterly: 3, monthly: 1 };

const pad = (n: number) => String(n).padStart(2, "0");

/** The last period of this type that ended before `isoDay`, with its code and last day. */
export function lastEndedPeriod(type: PeriodType, isoDay: string): { code: string; end: string } {
  const year = Number(isoDay.slice(0, 4));
  const month = Number(isoDay.slice(5, 7));
  const size = monthsIn[type];
  // The period containing today, then one step back.
  let index = Math.ceil(month / size) - 1;
  let y = year;
  if (index < 1) {
    y -= 1;
    index = 12 / size;
  }
  const lastMonth = index * size;
  const end = `${y}-${pad(lastMonth)}-${pad(new Date(Date.UTC(y, lastMonth, 0)).getUTCDate())}`;
  const code =
    type === "yearly"
      ? `${y}`
      : type === "sixMonthly"
        ? `${y}S${index}`
        : type === "quarterly"
          ? `${y}Q${index}`
          : `${y}${pad(index)}`;
  return { code, end };
}

/**
 * The deadline of a period under a rule, as the server computes it: both rules count days after the period's last
 * day (the 20th of the month after = 20 days after the end).
 */
export function deadlineOf(end: string, days: number): string {
  const date = new Date(`${end}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The shortest month that follows a period of each type: February after January, April after a first quarter. */
export const shortestNextMonth: Record<PeriodType, number> = {
  monthly: 28,
  quarterly: 30,
  sixMonthly: 31,
  yearly: 31,
};

/** Whether the rule gives a real day after every period of the type (the server refuses it otherwise, with 422). */
export function isComputable(type: PeriodType, rule: DeadlineRule, days: number): boolean {
  if (!Number.isInteger(days)) return false;
  return rule === "day_of_next_month"
    ? days >= 1 && days <= shortestNextMonth[type]
    : days >= 0 && days <= 366;
}
