import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { conflict, type Localized, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import { zodMessage } from "../../http/validation.ts";
import type { Actor } from "../access/actor.ts";
import { todayInVietnam } from "../units/text.ts";

/** Who wrote a row, as the audit trail names actors. */
export function actorIdOf(actor: Actor): string {
  return actor.kind === "anonymous" ? "anonymous" : actor.kind === "system" ? `system:${actor.id}` : actor.id;
}

/**
 * Roles that need a member's full citizen ID and birth date: the commune's own officers, who register and pay.
 * Everyone else sees them masked (personal data protection, Law 91/2025/QH15: access limited to need).
 */
export function seesPersonalData(actor: Actor): boolean {
  if (actor.kind === "system") return true;
  if (actor.kind === "anonymous") return false;
  return actor.role === "commune_officer" || actor.role === "system_admin";
}

/** The name of the constraint a database error broke, whichever driver raised it (through Drizzle's wrapping). */
export function brokenConstraint(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const o = e as { constraint?: unknown; constraint_name?: unknown; code?: unknown };
    if (o.code === "23505" || o.code === "23514" || o.code === "23503") {
      const name = o.constraint ?? o.constraint_name;
      if (typeof name === "string") return name;
    }
  }
  return undefined;
}

export const isoDay = safeText().regex(
  /^\d{4}-\d{2}-\d{2}$/,
  zodMessage({ vi: "phải là ngày dạng YYYY-MM-DD", en: "must be a date YYYY-MM-DD" }),
);
export const shortText = (max = 200) => safeText().trim().min(1).max(max);
export const idParam = z.object({ id: z.coerce.number().int().positive() });

/** The village (valid today) and its commune; 422 when the code is not a current village. */
export async function currentVillage(
  db: DbOrTx,
  code: string,
  field = "villageCode",
): Promise<{ code: string; name: string; communeCode: string; versionId: number }> {
  const today = todayInVietnam();
  const [row] = rowsOf<{ id: string | number; code: string; name: string; parent_code: string }>(
    await db.execute(sql`
      SELECT id, code, name, parent_code FROM unit_versions
      WHERE code = ${code} AND level = 'village'
        AND (valid_from IS NULL OR valid_from <= ${today}::date) AND (valid_to IS NULL OR valid_to > ${today}::date)`),
  );
  if (!row)
    throw unprocessable(
      "village_not_found",
      {
        vi: `Không có thôn, bản nào mã ${code} còn hiệu lực.`,
        en: `No village with code ${code} is valid today.`,
      },
      { field, code },
    );
  return { code: row.code, name: row.name, communeCode: row.parent_code, versionId: Number(row.id) };
}

export function stale(what: Localized, current?: unknown) {
  return conflict(
    "stale_version",
    {
      vi: `${what.vi} đã được người khác thay đổi; hãy tải lại.`,
      en: `${what.en} was changed by someone else meanwhile; reload it.`,
    },
    current === undefined ? undefined : { current },
  );
}

/** The current parent of a unit (a commune's province since July 2025), or null. */
export async function currentParent(db: DbOrTx, code: string): Promise<string | null> {
  const today = todayInVietnam();
  const [row] = rowsOf<{ parent_code: string | null }>(
    await db.execute(sql`SELECT parent_code FROM unit_versions WHERE code = ${code}
      AND (valid_from IS NULL OR valid_from <= ${today}::date) AND (valid_to IS NULL OR valid_to > ${today}::date)
      LIMIT 1`),
  );
  return row?.parent_code ?? null;
}

/** A programme binds the unit that runs it and the communes under it: the province's reaches all its communes. */
export async function programmeReaches(db: DbOrTx, programmeUnit: string, communeCode: string) {
  return programmeUnit === communeCode || (await currentParent(db, communeCode)) === programmeUnit;
}
