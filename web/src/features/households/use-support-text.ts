import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { householdsSupportVi } from "../../i18n/households-support.vi.ts";

// The support and disaster screens' Vietnamese texts travel with them (i18n/index.ts loads English on a switch).
i18next.addResourceBundle("vi", "householdsSupport", householdsSupportVi, true, true);

/** Texts and vi-VN figures of the support and disaster screens (1.500.000 ₫; 12,5; 22/11/2026). */
export function useSupportText() {
  const { t, i18n } = useTranslation("householdsSupport");
  const locale = i18n.language === "en" ? "en-GB" : "vi-VN";
  const number = (value: number, decimals = 0) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: decimals }).format(value);
  return {
    t,
    language: (i18n.language === "en" ? "en" : "vi") as "vi" | "en",
    number,
    /** Đồng as communes write them: 1.500.000 ₫ (en: 1,500,000 ₫). */
    money: (value: number) => `${number(value)}\u00a0₫`,
    day: (iso: string | null) => (iso ? iso.split("-").reverse().join("/") : "—"),
  };
}

export type SupportT = ReturnType<typeof useSupportText>["t"];
