import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { setApiLanguage } from "../api/client.ts";
import { analyticsVi } from "./analytics.vi.ts";
import { catalogueVi } from "./catalogue.vi.ts";
import { householdsVi } from "./households.vi.ts";
import { reportingVi } from "./reporting.vi.ts";
import { vi } from "./vi.ts";

export type Language = "vi" | "en";
export const languages: readonly Language[] = ["vi", "en"];
const storageKey = "grassroots.language";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: {
      translation: typeof vi;
      reporting: typeof reportingVi;
      catalogue: typeof catalogueVi;
      analytics: typeof analyticsVi;
      households: typeof householdsVi;
    };
  }
}

function storedLanguage(): Language {
  try {
    return localStorage.getItem(storageKey) === "en" ? "en" : "vi";
  } catch {
    // Private browsing or a locked-down profile: Vietnamese, the default.
    return "vi";
  }
}

/** English is a separate chunk: most users never switch, and every kilobyte counts on a mountain connection. */
async function loadLanguage(language: Language): Promise<void> {
  if (language === "vi" || i18next.hasResourceBundle(language, "translation")) return;
  const [{ en }, { reportingEn }, { catalogueEn }, { analyticsEn }, { householdsEn }] = await Promise.all([
    import("./en.ts"),
    import("./reporting.en.ts"),
    import("./catalogue.en.ts"),
    import("./analytics.en.ts"),
    import("./households.en.ts"),
  ]);
  i18next.addResourceBundle("en", "translation", en);
  i18next.addResourceBundle("en", "reporting", reportingEn);
  i18next.addResourceBundle("en", "catalogue", catalogueEn);
  i18next.addResourceBundle("en", "analytics", analyticsEn);
  i18next.addResourceBundle("en", "households", householdsEn);
}

function reflectLanguage(language: string): void {
  document.documentElement.lang = language;
  setApiLanguage(language);
}

/** Starts i18next in the language the user chose last time (Vietnamese by default). */
export async function initI18n(): Promise<void> {
  const language = storedLanguage();
  await i18next.use(initReactI18next).init({
    resources: {
      vi: {
        translation: vi,
        reporting: reportingVi,
        catalogue: catalogueVi,
        analytics: analyticsVi,
        households: householdsVi,
      },
    },
    ns: ["translation", "reporting", "catalogue", "analytics", "households"],
    defaultNS: "translation",
    lng: "vi",
    fallbackLng: "vi",
    supportedLngs: languages,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  i18next.on("languageChanged", reflectLanguage);
  reflectLanguage("vi");
  if (language !== "vi") await changeLanguage(language);
}

/** Switches the UI language and remembers the choice on this device. */
export async function changeLanguage(language: Language): Promise<void> {
  await loadLanguage(language);
  await i18next.changeLanguage(language);
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Not remembered, but the switch still works for this visit.
  }
}
