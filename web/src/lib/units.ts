import type { UnitVersion } from "../api/types.ts";
import { dayBefore } from "./dates.ts";

/** The last day a version was valid (its exclusive `validTo` minus one), or null while it still holds. */
export function lastValidDay(version: Pick<UnitVersion, "validTo">): string | null {
  return version.validTo ? dayBefore(version.validTo) : null;
}

/**
 * The `at` that opens exactly this version on its unit page: its last valid day for an ended version, nothing
 * (today) for the current one. A code is reused by successors, so a link without it would open the wrong unit.
 */
export function versionAt(version: Pick<UnitVersion, "validTo">): string | undefined {
  return lastValidDay(version) ?? undefined;
}

/** Demo villages carry `illustrative: true`: the UI must never let them pass for official data. */
export function isIllustrative(version: Pick<UnitVersion, "attributes">): boolean {
  return version.attributes.illustrative === true;
}

/** The name of the latest version listed in a unit_not_found_at_date error, if the details carry one. */
export function lastVersionName(details: unknown): string | undefined {
  const versions = readVersions(details);
  return versions[versions.length - 1]?.name;
}

export interface VersionSummary {
  name: string;
  validFrom: string | null;
  validTo: string | null;
}

/** The versions a unit_not_found_at_date error lists, checked field by field: details are loosely typed. */
export function readVersions(details: unknown): VersionSummary[] {
  if (typeof details !== "object" || details === null || !("versions" in details)) return [];
  const { versions } = details as { versions: unknown };
  if (!Array.isArray(versions)) return [];
  return versions.flatMap((v: unknown) => {
    if (typeof v !== "object" || v === null) return [];
    const { name, validFrom, validTo } = v as Record<string, unknown>;
    if (typeof name !== "string") return [];
    const day = (x: unknown) => (typeof x === "string" ? x : null);
    return [{ name, validFrom: day(validFrom), validTo: day(validTo) }];
  });
}
