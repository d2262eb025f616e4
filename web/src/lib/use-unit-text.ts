import { useTranslation } from "react-i18next";
import type { UnitLevel, UnitVersion } from "../api/types.ts";
import { formatDay } from "./dates.ts";
import { formatNumber } from "./format.ts";
import { lastValidDay } from "./units.ts";

const kinds = [
  "centrally_run_city",
  "province",
  "urban_district",
  "rural_district",
  "town",
  "provincial_city",
  "ward",
  "commune",
  "township",
  "special_zone",
  "village",
] as const;
type Kind = (typeof kinds)[number];

const eventKinds = [
  "establish",
  "merge",
  "split",
  "rename",
  "change_parent",
  "abolish",
  "reorganize",
] as const;
type EventKind = (typeof eventKinds)[number];

const isKind = (value: string): value is Kind => (kinds as readonly string[]).includes(value);
const isEventKind = (value: string): value is EventKind => (eventKinds as readonly string[]).includes(value);

type Validity = Pick<UnitVersion, "validFrom" | "validTo">;

/** Labels and validity wording of units in the current UI language. */
export function useUnitText() {
  const { t } = useTranslation();
  return {
    t,
    kindLabel: (kind: string) => (isKind(kind) ? t(`kind.${kind}`) : kind),
    levelLabel: (level: UnitLevel) => t(`level.${level}`),
    eventKindLabel: (kind: string) => (isEventKind(kind) ? t(`event.kind.${kind}`) : kind),
    /** "01/07/2025 – nay", "trước đây – 30/06/2025": `validTo` is exclusive, so the last day shown is the day before. */
    validityRange: (v: Validity) => {
      const last = lastValidDay(v);
      return t("validity.range", {
        from: v.validFrom ? formatDay(v.validFrom) : t("validity.beforeRecords"),
        to: last ? formatDay(last) : t("validity.present"),
      });
    },
    /** "đến 30/06/2025", "từ 01/07/2025", "từ … đến …": how the code history reads. */
    validityPhrase: (v: Validity) => {
      const last = lastValidDay(v);
      if (v.validFrom && last)
        return t("validity.between", { from: formatDay(v.validFrom), to: formatDay(last) });
      if (last) return t("validity.until", { date: formatDay(last) });
      if (v.validFrom) return t("validity.since", { date: formatDay(v.validFrom) });
      return t("validity.always");
    },
    count: (value: number) => formatNumber(value),
  };
}
