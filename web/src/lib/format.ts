import i18next from "i18next";

/** A count in the UI language's digits grouping: 10.047 in Vietnamese, 10,047 in English. */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(i18next.language === "en" ? "en-GB" : "vi-VN").format(value);
}

/** A share of a partial lineage edge (0–1) as a percentage: 0,35 → "35 %". */
export function formatShare(share: number): string {
  return new Intl.NumberFormat(i18next.language === "en" ? "en-GB" : "vi-VN", {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(share);
}
