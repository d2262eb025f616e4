import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { householdsVi } from "../../i18n/households.vi.ts";

// The household screens' Vietnamese texts travel with them (i18n/index.ts starts with the menu's name only).
i18next.addResourceBundle("vi", "households", householdsVi, true, true);

/** Texts and vi-VN figures of the households screens (1.234.567; 12,5 %). */
export function useHouseholdsText() {
  const { t, i18n } = useTranslation("households");
  const locale = i18n.language === "en" ? "en-GB" : "vi-VN";
  const number = (value: number, decimals = 0) =>
    new Intl.NumberFormat(locale, {
      maximumFractionDigits: decimals,
      minimumFractionDigits: decimals,
    }).format(value);
  return {
    t,
    language: (i18n.language === "en" ? "en" : "vi") as "vi" | "en",
    number,
    /** A rate of `part` in `whole` as "12,5 %" (no-break space), "—" when the whole is 0. */
    rate: (part: number, whole: number) =>
      whole === 0 ? "—" : `${number((part / whole) * 100, 2)}${i18n.language === "en" ? "%" : "\u00a0%"}`,
    day: (iso: string | null) => (iso ? iso.split("-").reverse().join("/") : "—"),
  };
}
