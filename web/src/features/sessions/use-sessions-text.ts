import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { sessionsVi } from "../../i18n/sessions.vi.ts";
import { formatDay } from "../../lib/dates.ts";
import type { DirectionStatus, ProposalStatus } from "./api.ts";

// These screens' Vietnamese texts travel with them (i18n/index.ts starts with the menu's name only).
i18next.addResourceBundle("vi", "sessions", sessionsVi, true, true);

/** Colours of the computed statuses: red overdue, orange late, blue running, green on time. */
export const statusColors: Record<DirectionStatus, string> = {
  overdue: "red",
  in_progress: "blue",
  completed_late: "orange",
  completed_on_time: "teal",
};

export const proposalStatusColors: Record<ProposalStatus, string> = {
  received: "gray",
  assigned: "blue",
  under_review: "indigo",
  answered: "teal",
  closed: "gray",
};

/** The screens' words in the UI language, and figures and days in its format (vi-VN: 1.234,5 and 22/11/2026). */
export function useSessionsText() {
  const { t, i18n } = useTranslation("sessions");
  const locale = i18n.language === "en" ? "en-GB" : "vi-VN";
  return {
    t,
    isEnglish: i18n.language === "en",
    day: (iso: string | null | undefined) => (iso ? formatDay(iso) : t("none")),
    number: (value: number, decimals = 2) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: decimals }).format(value),
    /** "45 %" with a space that never breaks, as Vietnamese writes it; "45%" in English. */
    percent: (value: number) => (i18n.language === "en" ? `${value}%` : `${value}\u00a0%`),
  };
}
