import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { setApiLanguage } from "../api/client.ts";
import type { analyticsVi } from "./analytics.vi.ts";
import type { catalogueVi } from "./catalogue.vi.ts";
import type { formsVi } from "./forms.vi.ts";
import { homeVi } from "./home.vi.ts";
import type { householdsVi } from "./households.vi.ts";
import type { householdsRegistryVi } from "./households-registry.vi.ts";
import type { householdsSupportVi } from "./households-support.vi.ts";
import type { reportingVi } from "./reporting.vi.ts";
import type { securityVi } from "./security.vi.ts";
import type { sessionsVi } from "./sessions.vi.ts";
import type { standardsVi } from "./standards.vi.ts";
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
      home: typeof homeVi;
      standards: typeof standardsVi;
      sessions: typeof sessionsVi;
      security: typeof securityVi;
      forms: typeof formsVi;
      households: typeof householdsVi;
      householdsSupport: typeof householdsSupportVi;
      householdsRegistry: typeof householdsRegistryVi;
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
  const [{ en }, { reportingEn }, { catalogueEn }, { analyticsEn }, { homeEn }, { sessionsEn }] =
    await Promise.all([
      import("./en.ts"),
      import("./reporting.en.ts"),
      import("./catalogue.en.ts"),
      import("./analytics.en.ts"),
      import("./home.en.ts"),
      import("./sessions.en.ts"),
    ]);
  const { standardsEn } = await import("./standards.en.ts");
  const { securityEn } = await import("./security.en.ts");
  const { householdsEn } = await import("./households.en.ts");
  i18next.addResourceBundle("en", "translation", en);
  i18next.addResourceBundle("en", "reporting", reportingEn);
  i18next.addResourceBundle("en", "catalogue", catalogueEn);
  i18next.addResourceBundle("en", "analytics", analyticsEn);
  i18next.addResourceBundle("en", "home", homeEn);
  i18next.addResourceBundle("en", "standards", standardsEn);
  i18next.addResourceBundle("en", "sessions", sessionsEn);
  i18next.addResourceBundle("en", "security", securityEn);
  // The form designer's texts come with its page (features/forms/forms-text.ts); English too once switched.
  i18next.addResourceBundle("en", "forms", (await import("./forms.en.ts")).formsEn);
  i18next.addResourceBundle("en", "households", householdsEn);
  const { householdsSupportEn } = await import("./households-support.en.ts");
  i18next.addResourceBundle("en", "householdsSupport", householdsSupportEn);
  i18next.addResourceBundle(
    "en",
    "householdsRegistry",
    (await import("./households-registry.en.ts")).householdsRegistryEn,
  );
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
      // The reporting and catalogue texts come with their pages (use-reporting-text.ts, use-catalogue-text.ts), off
      // every officer's first download; the menu needs only their names.
      vi: {
        translation: vi,
        reporting: { nav: "Báo cáo" },
        catalogue: { nav: "Danh mục chỉ tiêu" },
        analytics: { navOverview: "Tổng quan", navPivot: "Phân tích" },
        home: homeVi,
        // Like reporting and catalogue: these pages bring their own texts (use-*-text.ts); the menu needs the names.
        standards: { nav: "Tiêu chí" },
        sessions: { nav: "Làm việc, chỉ đạo" },
        security: {},
        households: { nav: "Hộ gia đình" },
        householdsSupport: {},
      },
    },
    ns: [
      "translation",
      "reporting",
      "catalogue",
      "analytics",
      "home",
      "standards",
      "sessions",
      "security",
      "households",
      "householdsSupport",
    ],
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
