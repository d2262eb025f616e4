import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { standardsVi } from "../../i18n/standards.vi.ts";
import { todayInVietnam } from "../../lib/dates.ts";

// These screens' Vietnamese texts travel with them (i18n/index.ts starts with the menu's name only).
i18next.addResourceBundle("vi", "standards", standardsVi, true, true);

/** Texts and vi-VN figures of the standards pages (13.800.000 and 54,5). */
export function useStandardsText() {
  const { t, i18n } = useTranslation("standards");
  const isEnglish = i18n.language === "en";
  const locale = isEnglish ? "en-GB" : "vi-VN";
  const number = (value: number | null | undefined, decimals = 2) =>
    value === null || value === undefined
      ? "—"
      : new Intl.NumberFormat(locale, { maximumFractionDigits: decimals }).format(value);
  const date = (iso: string) => {
    const [y, m, d] = iso.split("-");
    return isEnglish ? `${d}/${m}/${y}` : `${d}/${m}/${y}`;
  };
  return {
    t,
    isEnglish,
    language: (isEnglish ? "en" : "vi") as "vi" | "en",
    name: (thing: { nameVi: string; nameEn: string }) => (isEnglish ? thing.nameEn : thing.nameVi),
    number,
    /** A figure with its unit: "54,5 %", "41,2 triệu đồng/năm". */
    measure: (value: number | null | undefined, unit: string | null) =>
      value === null || value === undefined ? "—" : `${number(value)}${unit ? `\u00a0${unit}` : ""}`,
    date,
  };
}

/** The year evaluated by default: the last full year. */
export const defaultYear = () => Number(todayInVietnam().slice(0, 4)) - 1;
export const yearChoices = () => {
  const last = Number(todayInVietnam().slice(0, 4));
  return Array.from({ length: last - 2010 + 1 }, (_, i) => String(last - i));
};

/** The framework shown by default: the new-style rural set in force today, else the first. */
export function defaultFramework<F extends { kind: string; validFrom: string; validTo: string | null }>(
  items: F[],
): F | undefined {
  const today = todayInVietnam();
  return (
    items.find(
      (f) => f.kind === "ntm_commune" && f.validFrom <= today && (f.validTo === null || f.validTo > today),
    ) ?? items[0]
  );
}
