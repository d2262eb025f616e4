import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { householdsRegistryVi } from "../../i18n/households-registry.vi.ts";

/*
 * The registry screens' texts travel with them, not in the first download of every officer's phone: Vietnamese is
 * added when this module loads (English by i18n/index.ts when someone switches, or here when already switched).
 */
if (!i18next.hasResourceBundle("vi", "householdsRegistry"))
  i18next.addResourceBundle("vi", "householdsRegistry", householdsRegistryVi);
if (i18next.language === "en" && !i18next.hasResourceBundle("en", "householdsRegistry"))
  i18next.addResourceBundle(
    "en",
    "householdsRegistry",
    (await import("../../i18n/households-registry.en.ts")).householdsRegistryEn,
  );

/** Texts of registering and editing households, policy classes, meeting results, standards and duplicates. */
export function useRegistryText() {
  const { t, i18n } = useTranslation("householdsRegistry");
  const locale = i18n.language === "en" ? "en-GB" : "vi-VN";
  return {
    t,
    language: (i18n.language === "en" ? "en" : "vi") as "vi" | "en",
    /** 1.500.000 in Vietnamese, 1,500,000 in English. */
    number: (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value),
    /** An ISO day as dd/mm/yyyy; "—" when absent. */
    day: (iso: string | null | undefined) => (iso ? iso.split("-").reverse().join("/") : "—"),
  };
}
