/** Dates travel as ISO days (YYYY-MM-DD) and are shown as dd/mm/yyyy, the way Vietnamese offices write them. */

const isoDayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

const vietnamDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Ho_Chi_Minh",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

const displayDay = new Intl.DateTimeFormat("vi-VN", {
  timeZone: "UTC",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

/** Today in Vietnam (UTC+7), as the server counts it: a commune's day does not end at UTC midnight. */
export function todayInVietnam(now: Date = new Date()): string {
  return vietnamDay.format(now);
}

/** The ISO day, or undefined when it is not a real calendar day ("2025-02-30" is not). */
export function parseIsoDay(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = isoDayPattern.exec(value);
  if (!match) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : undefined;
}

/** "30/06/2025", "30/6/2025", "30.06.2025" or "30062025" (as typed by hand) → "2025-06-30"; else null. */
export function parseDisplayDay(text: string): string | null {
  const match =
    /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text) ?? /^\s*(\d{2})(\d{2})(\d{4})\s*$/.exec(text);
  if (!match) return null;
  const [, d = "", m = "", y = ""] = match;
  return parseIsoDay(`${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`) ?? null;
}

/** "2025-06-30" → "30/06/2025" (anything that is not a day is shown as it came, never thrown). */
export function formatDay(isoDay: string): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDay : displayDay.format(date);
}

/** The day before an ISO day: the last day a version with this exclusive `validTo` was valid. */
export function dayBefore(isoDay: string): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

const vietnamTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** An instant's day and time in Vietnam, whatever the computer's clock zone: "30/06/2025 14:05". */
export function formatDateTime(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return `${formatDay(todayInVietnam(date))} ${vietnamTime.format(date)}`;
}

/** An instant's time of day in Vietnam: "14:05". */
export function formatTime(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : vietnamTime.format(date);
}
