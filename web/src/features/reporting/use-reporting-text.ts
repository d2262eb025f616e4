import type { MantineColor } from "@mantine/core";
import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { reportingVi } from "../../i18n/reporting.vi.ts";
import type { PeriodType, ReportStatus, Timeliness, Violation } from "./api.ts";
import { parsePeriodCode } from "./periods.ts";

// The reporting screens' Vietnamese texts travel with them (i18n/index.ts starts with the menu's name only).
i18next.addResourceBundle("vi", "reporting", reportingVi, true, true);

export const statusColors: Record<ReportStatus | "not_started", MantineColor> = {
  not_started: "gray",
  draft: "blue",
  submitted: "violet",
  approved: "green",
  returned: "orange",
};

export const timelinessColors: Record<Timeliness, MantineColor> = {
  on_time: "green",
  late: "orange",
  overdue: "red",
  pending: "gray",
};

/** Names, periods, statuses and people of the reporting screens in the current UI language. */
export function useReportingText() {
  const { t, i18n } = useTranslation("reporting");
  const isEnglish = i18n.language === "en";
  return {
    t,
    language: i18n.language,
    /** A form, section or element in the UI language. */
    name: (thing: { nameVi: string; nameEn: string }) => (isEnglish ? thing.nameEn : thing.nameVi),
    /** "Năm 2025", "Quý 3 năm 2025"; the code itself when it is not one of this type. */
    periodLabel: (code: string, type: PeriodType) => {
      const p = parsePeriodCode(code, type);
      if (!p) return code;
      switch (type) {
        case "yearly":
          return t("period.yearly", { year: p.year });
        case "sixMonthly":
          return t("period.sixMonthly", { year: p.year, half: p.part });
        case "quarterly":
          return t("period.quarterly", { year: p.year, quarter: p.part });
        case "monthly":
          return t("period.monthly", { year: p.year, month: p.part });
      }
    },
    statusLabel: (status: ReportStatus | "not_started") => t(`status.${status}`),
    timelinessLabel: (timeliness: Timeliness) => t(`timeliness.${timeliness}`),
    violationMessage: (v: Violation) => (isEnglish ? v.message.en : v.message.vi),
    /**
     * Who did something, as the API names actors: a user id ("7"), "system:cli". The API gives no names, so the
     * signed-in person is "you" and others are shown by account number.
     */
    /** "bạn" for oneself, the account's display name, the system's task, or the bare id as a last resort. */
    who: (actorId: string | null | undefined, myId: number | undefined, name?: string | null) => {
      if (!actorId) return "—";
      if (myId !== undefined && actorId === String(myId)) return t("who.you");
      if (name) return name;
      if (actorId.startsWith("system:")) return t("who.system", { id: actorId.slice(7) });
      return t("who.account", { id: actorId });
    },
  };
}
