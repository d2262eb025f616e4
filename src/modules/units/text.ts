/** Text and date helpers of the units domain. */

/** Lower-case, diacritics-free form used for search: "Xã Chiềng Khương" → "xa chieng khuong". */
export function toSearchText(value: string): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Names are stored in Unicode NFC, whatever form the source used. */
export function cleanName(value: string): string {
  return value.normalize("NFC").replace(/\s+/g, " ").trim();
}

export type UnitLevel = "province" | "district" | "commune" | "village";
export type UnitKind =
  | "centrally_run_city"
  | "province"
  | "urban_district"
  | "rural_district"
  | "town"
  | "provincial_city"
  | "ward"
  | "commune"
  | "township"
  | "special_zone"
  | "village";

export const unitLevels: readonly UnitLevel[] = ["province", "district", "commune", "village"];

/** Which levels a unit of each level may sit under (communes sat under districts until 1 July 2025). */
export const allowedParentLevels: Record<UnitLevel, readonly UnitLevel[]> = {
  province: [],
  district: ["province"],
  commune: ["district", "province"],
  village: ["commune"],
};

const kindPrefixes: ReadonlyArray<[string, UnitLevel, UnitKind]> = [
  ["thanh pho ", "province", "centrally_run_city"],
  ["tinh ", "province", "province"],
  ["quan ", "district", "urban_district"],
  ["huyen ", "district", "rural_district"],
  ["thi xa ", "district", "town"],
  ["thanh pho ", "district", "provincial_city"],
  ["dac khu ", "district", "special_zone"],
  ["phuong ", "commune", "ward"],
  ["thi tran ", "commune", "township"],
  ["xa ", "commune", "commune"],
  ["dac khu ", "commune", "special_zone"],
];

/** The kind a unit's official name announces ("Thị trấn …" → township), or undefined when it announces none. */
export function kindFromName(name: string, level: UnitLevel): UnitKind | undefined {
  if (level === "village") return "village";
  const text = toSearchText(name);
  return kindPrefixes.find(([prefix, l]) => l === level && text.startsWith(prefix))?.[2];
}

const vietnamDate = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Ho_Chi_Minh",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Today's date in Vietnam (UTC+7) as YYYY-MM-DD: a province's day does not end at UTC midnight. */
export function todayInVietnam(now: Date = new Date()): string {
  return vietnamDate.format(now);
}

/** The day before an ISO date. */
export function dayBefore(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
