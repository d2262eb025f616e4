import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { catalogueVi } from "../../i18n/catalogue.vi.ts";
import { formatNumber } from "../../lib/format.ts";
import type { Aggregation, Importance, PeriodType, RuleOperator, ValueType } from "./api.ts";
import type { ExpressionError } from "./expression.ts";

const operatorKeys = {
  "==": "eq",
  "!=": "ne",
  "<": "lt",
  "<=": "le",
  ">": "gt",
  ">=": "ge",
} as const satisfies Record<RuleOperator, string>;

/** How a comparison reads in formulas: the symbols of a school textbook rather than the ones typed. */
export const operatorSymbols: Record<RuleOperator, string> = {
  "==": "=",
  "!=": "≠",
  "<": "<",
  "<=": "≤",
  ">": ">",
  ">=": "≥",
};

// The catalogue's Vietnamese texts travel with its pages, not in every officer's first download (i18n/index.ts
// starts with the menu's name only); English is added whole when someone switches.
i18next.addResourceBundle("vi", "catalogue", catalogueVi, true, true);

/** Names, labels in words and expression messages of the catalogue screens, in the current UI language. */
export function useCatalogueText() {
  const { t, i18n } = useTranslation("catalogue");
  const isEnglish = i18n.language === "en";
  return {
    t,
    isEnglish,
    /** An element, indicator or form in the UI language. */
    name: (thing: { nameVi: string; nameEn: string }) => (isEnglish ? thing.nameEn : thing.nameVi),
    ruleMessage: (rule: { messageVi: string; messageEn: string }) =>
      isEnglish ? rule.messageEn : rule.messageVi,
    valueTypeLabel: (type: ValueType) => t(`valueType.${type}`),
    aggregationLabel: (aggregation: Aggregation) => t(`aggregation.${aggregation}`),
    importanceLabel: (importance: Importance) => t(`importance.${importance}`),
    periodTypeLabel: (type: PeriodType) => t(`periodType.${type}`),
    operatorLabel: (op: RuleOperator) => t(`operator.${operatorKeys[op]}`),
    /**
     * "Vị trí 12: Chưa có chỉ tiêu “NO_SUCH” trong danh mục". Positions count characters from 1, as people do;
     * a problem at the very end says so, since there is no character there to point at.
     */
    problemText: (
      problem: Pick<ExpressionError, "position" | "length" | "message"> & { code: string },
      textLength: number,
    ) => {
      const message = isEnglish ? problem.message.en : problem.message.vi;
      if (problem.code === "empty") return message;
      const position = problem.position + 1;
      if (problem.length === 0 && problem.position >= textLength)
        return t("expression.atEnd", { position, message });
      return t("expression.at", { position, message });
    },
    number: (value: number) => formatNumber(value),
  };
}
