import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { formsVi } from "../../i18n/forms.vi.ts";

/**
 * The designer's texts travel with its page, not in the first download of every officer's phone: Vietnamese is
 * added when this module loads (English is added by i18n/index.ts when someone switches).
 */
if (!i18next.hasResourceBundle("vi", "forms")) i18next.addResourceBundle("vi", "forms", formsVi);
if (i18next.language === "en" && !i18next.hasResourceBundle("en", "forms"))
  i18next.addResourceBundle("en", "forms", (await import("../../i18n/forms.en.ts")).formsEn);

export function useFormsText() {
  return useTranslation("forms");
}
