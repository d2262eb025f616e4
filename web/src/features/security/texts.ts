import i18next from "i18next";
import { securityVi } from "../../i18n/security.vi.ts";

// The security log's Vietnamese texts travel with the pages that use them (i18n/index.ts does not load them).
i18next.addResourceBundle("vi", "security", securityVi, true, true);
