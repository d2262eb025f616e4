import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import {
  type AppError,
  forbidden,
  type Localized,
  noteSecurity,
  notFound,
  unprocessable,
} from "../../http/errors.ts";
import { isoDate } from "../units/presenters.ts";
import { scopeCodesOn } from "../units/queries.ts";
import { dayBefore, todayInVietnam } from "../units/text.ts";
import type { Actor, Scope } from "./actor.ts";

export interface ScopeRow {
  id: number | string;
  code: string;
  name: string;
  level: Scope["level"];
  valid_to: string | null;
}

export const toScope = (row: ScopeRow, today: string): Scope => {
  const validTo = isoDate(row.valid_to);
  return {
    versionId: Number(row.id),
    code: row.code,
    name: row.name,
    level: row.level,
    validTo,
    isCurrent: validTo === null || validTo > today,
  };
};

export async function scopeOfVersion(db: DbOrTx, versionId: number | null): Promise<Scope | null> {
  if (versionId === null) return null;
  const [row] = rowsOf<ScopeRow>(
    await db.execute(
      sql`SELECT id, code, name, level, valid_to::text AS valid_to FROM unit_versions WHERE id = ${versionId}`,
    ),
  );
  return row ? toScope(row, todayInVietnam()) : null;
}

/** The unit version valid today with this code, to scope an account to; 422 when there is none. */
export async function currentVersionForScope(db: DbOrTx, code: string, field = "scopeCode"): Promise<Scope> {
  const today = todayInVietnam();
  const [row] = rowsOf<ScopeRow>(
    await db.execute(sql`
      SELECT id, code, name, level, valid_to::text AS valid_to FROM unit_versions
      WHERE code = ${code} AND (valid_from IS NULL OR valid_from <= ${today}::date) AND (valid_to IS NULL OR valid_to > ${today}::date)`),
  );
  if (!row)
    throw unprocessable(
      "unit_not_current",
      {
        vi: `Không có đơn vị mã ${code} còn hiệu lực hôm nay.`,
        en: `No unit with code ${code} is valid today.`,
      },
      { field, code },
    );
  return toScope(row, today);
}

/**
 * Codes of the scope unit and everything under it, on the day the scope holds (today, or the last day of a unit that
 * has been merged away: such an account still sees its old records, and nothing of the new unit), with the old units
 * they were formed from (see scopeCodesOn).
 */
export async function subtreeCodes(db: DbOrTx, scope: Scope, unitsVersion?: number): Promise<Set<string>> {
  const date = scope.isCurrent ? todayInVietnam() : dayBefore(scope.validTo ?? todayInVietnam());
  return scopeCodesOn(db, scope.code, date, unitsVersion);
}

/** Whether the actor's scope covers the unit with this code. System actors and system administrators cover all. */
export async function coversUnit(
  db: DbOrTx,
  actor: Actor,
  unitCode: string,
  unitsVersion?: number,
): Promise<boolean> {
  if (actor.kind === "system") return true;
  if (actor.kind === "anonymous") return false;
  if (actor.scope === null) return actor.role === "system_admin";
  // A scope always covers its own unit (a commune officer saving its commune's values needs no set).
  if (actor.scope.code === unitCode) return true;
  return (await subtreeCodes(db, actor.scope, unitsVersion)).has(unitCode);
}

/**
 * Refuses a unit outside the actor's scope: 403 by default, or 404 when the record's very existence is private
 * (an account in another province).
 */
export async function assertUnitInScope(
  db: DbOrTx,
  actor: Actor,
  unitCode: string | null,
  options: {
    hideAs404?: { code: string; message: Localized };
    /** The units version read in this request already (the scope sets are cached by it). */
    unitsVersion?: number;
  } = {},
): Promise<void> {
  const covered =
    unitCode === null
      ? actor.kind === "system" ||
        (actor.kind !== "anonymous" && actor.scope === null && actor.role === "system_admin")
      : await coversUnit(db, actor, unitCode, options.unitsVersion);
  if (covered) return;
  if (options.hideAs404)
    throw noteSecurity(notFound(options.hideAs404.code, options.hideAs404.message), {
      kind: "out_of_scope",
      unitCode,
    });
  throw outOfScope(unitCode);
}

/**
 * What a person is told about a unit outside their scope, and nothing more: not its forms, its reports or whether it
 * exists (an import naming a foreign unit says only this).
 */
export function outsideScopeMessage(unitCode: string | null): Localized {
  const unit = unitCode ?? "(—)";
  return {
    vi: `Đơn vị ${unit} nằm ngoài phạm vi của bạn.`,
    en: `Unit ${unit} is outside your scope.`,
  };
}

/** The 403 for a unit outside the actor's scope, marked for the security log. */
export function outOfScope(unitCode: string | null): AppError {
  return noteSecurity(forbidden(outsideScopeMessage(unitCode)), { kind: "out_of_scope", unitCode });
}
