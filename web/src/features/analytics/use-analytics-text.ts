import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { analyticsVi } from "../../i18n/analytics.vi.ts";

// The dashboards' Vietnamese texts travel with them (i18n/index.ts starts with the menu's names only).
i18next.addResourceBundle("vi", "analytics", analyticsVi, true, true);

const vietnamClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** Names, figures and periods of the dashboards in the current UI language (vi-VN digits: 13.800.000 and 54,5). */
export function useAnalyticsText() {
  const { t, i18n } = useTranslation("analytics");
  const isEnglish = i18n.language === "en";
  const locale = isEnglish ? "en-GB" : "vi-VN";
  const number = (value: number, decimals?: number) =>
    new Intl.NumberFormat(locale, {
      maximumFractionDigits: decimals ?? 2,
      minimumFractionDigits: decimals ?? 0,
    }).format(value);
  return {
    t,
    isEnglish,
    language: (isEnglish ? "en" : "vi") as "vi" | "en",
    /** An element or indicator (or anything with both names) in the UI language. */
    name: (thing: { nameVi: string; nameEn: string }) => (isEnglish ? thing.nameEn : thing.nameVi),
    /** A figure: `decimals` fixed (an indicator's), up to 2 otherwise; "—" for none. */
    number: (value: number | null | undefined, decimals?: number) =>
      value === null || value === undefined ? t("noValue") : number(value, decimals),
    /** A percentage indicator's value: "54,5 %" in Vietnamese (a space that never breaks), "54.5%" in English. */
    percent: (value: number | null | undefined, decimals = 1) =>
      value === null || value === undefined
        ? t("noValue")
        : isEnglish
          ? `${number(value, decimals)}%`
          : `${number(value, decimals)}\u00a0%`,
    /** The time of an instant in Vietnam, to the second: "14:05:09". */
    clock: (epochMs: number) => vietnamClock.format(new Date(epochMs)),
    /** A period code or relative period as a person says it. */
    periodLabel: (code: string) => {
      if (/^\d{4}$/.test(code)) return t("yearLabel", { year: code });
      const q = /^(\d{4})Q([1-4])$/.exec(code);
      if (q) return t("period.quarter", { year: q[1], quarter: q[2] });
      const relative = t(`period.${code}` as "period.THIS_YEAR", { defaultValue: "" });
      return relative || code;
    },
  };
}
