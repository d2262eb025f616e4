import type { DbOrTx } from "../../db/client.ts";
import { forbidden } from "../../http/errors.ts";
import type { Actor } from "../access/actor.ts";
import { subtreeCodes } from "../access/scope.ts";

/**
 * Who edits what in the catalogue (issue 8): national entries and forms (no owner) only the system administrator;
 * a province administrator its own province's entries and forms, and on any form the assignment of its own units.
 * The route's policy (`catalogue.manage`) lets both roles in; these checks decide on the record.
 */

/** Whether the actor acts nationally: the system (CLI, demo loader) or a system administrator. */
export const isNational = (actor: Actor): boolean =>
  actor.kind === "system" ||
  ((actor.kind === "user" || actor.kind === "token") &&
    actor.role === "system_admin" &&
    actor.scope === null);

/** The province code a province administrator acts for; null for national actors; 403 for anyone else. */
export function actingProvince(actor: Actor): string | null {
  if (isNational(actor)) return null;
  if (
    (actor.kind === "user" || actor.kind === "token") &&
    actor.role === "province_admin" &&
    actor.scope?.level === "province" &&
    actor.scope.isCurrent
  )
    return actor.scope.code;
  throw forbidden();
}

/** The owner a new entry or form gets: the acting province, or null (national) for the system administrator. */
export const ownerForNew = (actor: Actor): string | null => actingProvince(actor);

/** Refuses a change to an entry or form the actor does not own (403 naming whose it is). */
export function assertMayEdit(actor: Actor, ownerUnitCode: string | null, label: string): void {
  const province = actingProvince(actor);
  if (province === null || province === ownerUnitCode) return;
  throw forbidden(
    ownerUnitCode === null
      ? {
          vi: `${label} dùng chung toàn quốc: chỉ quản trị hệ thống được sửa.`,
          en: `${label} is national: only the system administrator may change it.`,
        }
      : {
          vi: `${label} thuộc tỉnh khác (${ownerUnitCode}): bạn không được sửa.`,
          en: `${label} belongs to another province (${ownerUnitCode}): you may not change it.`,
        },
  );
}

/**
 * The codes a province administrator may assign or unassign (its province's subtree, with the old units its
 * communes came from); null when the actor may assign any unit.
 */
export async function assignableCodes(db: DbOrTx, actor: Actor): Promise<Set<string> | null> {
  const province = actingProvince(actor);
  if (province === null) return null;
  if (actor.kind !== "user" && actor.kind !== "token") throw forbidden();
  if (!actor.scope) throw forbidden();
  return subtreeCodes(db, actor.scope);
}

/** 403 naming the units outside the actor's province. */
export function refuseForeignUnits(foreign: readonly string[]): void {
  if (foreign.length === 0) return;
  const list = foreign.slice(0, 20).join(", ");
  throw forbidden({
    vi: `Đơn vị ngoài tỉnh của bạn: ${list}. Bạn chỉ giao hoặc bỏ giao đơn vị trong tỉnh mình.`,
    en: `Units outside your province: ${list}. You may assign or unassign only your own province's units.`,
  });
}
