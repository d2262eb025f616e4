import type { DbOrTx } from "../../db/client.ts";
import { forbidden, type Localized, unprocessable } from "../../http/errors.ts";
import { type Actor, isSignedIn, type RequestContext } from "../access/actor.ts";
import { coversUnit, subtreeCodes } from "../access/scope.ts";
import { unitVersionsOn } from "../units/queries.ts";

/** What every operation of the module needs besides the database: who acts and what day it is. */
export interface SessionsContext extends RequestContext {
  /** YYYY-MM-DD in Vietnam; injectable so that tests move the clock. */
  today: string;
}

export const actorIdOf = (actor: Actor): string =>
  actor.kind === "system" ? `system:${actor.id}` : actor.kind === "anonymous" ? "anonymous" : actor.id;

/** The province side: those who record meetings, answer proposals and decide extensions. */
export const isProvinceSide = (actor: Actor): boolean =>
  actor.kind === "system" ||
  (isSignedIn(actor) &&
    (actor.role === "system_admin" || actor.role === "province_admin" || actor.role === "province_officer"));

/** The unit codes the actor reads, or null for everything. */
export async function readableCodes(db: DbOrTx, actor: Actor): Promise<Set<string> | null> {
  if (actor.kind === "system") return null;
  if (!isSignedIn(actor)) return new Set();
  if (actor.scope === null) return actor.role === "system_admin" ? null : new Set();
  return subtreeCodes(db, actor.scope);
}

export async function assertCovers(
  db: DbOrTx,
  actor: Actor,
  unitCode: string,
  what: Localized,
): Promise<void> {
  if (!(await coversUnit(db, actor, unitCode))) throw forbidden(what);
}

/** Current names of units by code; 422 naming the field for a code that is not a unit valid on `date`. */
export async function unitNames(
  db: DbOrTx,
  codes: readonly string[],
  date: string,
  field: string,
): Promise<Map<string, string>> {
  const unique = [...new Set(codes)];
  const found = new Map((await unitVersionsOn(db, unique, date)).map((u) => [u.code, u.name]));
  const missing = unique.filter((c) => !found.has(c));
  if (missing.length)
    throw unprocessable(
      "unknown_unit",
      {
        vi: `Không có đơn vị hành chính mã ${missing.join(", ")} vào ngày ${date}.`,
        en: `No administrative unit with code ${missing.join(", ")} on ${date}.`,
      },
      { fields: [{ field, message: `unknown unit ${missing.join(", ")}` }] },
    );
  return found;
}

/** 422 naming a date field that comes before the date it must follow. */
export function dateOrderError(field: string, earlier: string, label: Localized) {
  return unprocessable(
    "date_order",
    {
      vi: `${label.vi}: ngày không được trước ${earlier}.`,
      en: `${label.en}: the date may not be before ${earlier}.`,
    },
    { fields: [{ field, message: `must be on or after ${earlier}` }] },
  );
}

export const versionConflict = (what: Localized) => ({
  code: "version_conflict",
  message: {
    vi: `${what.vi} vừa được người khác thay đổi; hãy tải lại.`,
    en: `${what.en} was changed by someone else meanwhile; reload it.`,
  },
});
