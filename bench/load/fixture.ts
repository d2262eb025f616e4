import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../src/db/client.ts";
import type { RequestContext } from "../../src/modules/access/actor.ts";
import { createUser } from "../../src/modules/access/users.ts";
import { createDataElement, createValidationRule } from "../../src/modules/reporting/catalogue.ts";
import { createForm } from "../../src/modules/reporting/form-designer.ts";
import { importReferenceUnits } from "../../src/modules/units/import-reference.ts";
import { referenceDataFolder } from "../../src/paths.ts";

/**
 * What the load suite needs in a fresh database: the 2025 reference units, a yearly commune form of 12 elements with
 * the kind of rules real forms carry (a part never above its whole, a sum of parts), reported by the first `communes`
 * communes of today, and one commune officer per commune, each with a password the clients sign in with.
 */
export const LOAD_FORM = "BENCH_LOAD";
export const LOAD_ELEMENTS = Array.from({ length: 12 }, (_, i) => `LOAD_E${String(i + 1).padStart(2, "0")}`);
export const LOAD_PASSWORD = "bench-tải-đồng-thời-mật-khẩu-2026";

export interface LoadAccount {
  username: string;
  unitCode: string;
}

export async function prepareLoadFixture(
  db: Db,
  ctx: RequestContext,
  communes: number,
): Promise<{ accounts: LoadAccount[]; provinceCode: string }> {
  await importReferenceUnits(db, ctx, referenceDataFolder);
  for (const [i, code] of LOAD_ELEMENTS.entries())
    await createDataElement(db, ctx, {
      code,
      nameVi: `Chỉ tiêu tải ${i + 1}`,
      nameEn: `Load element ${i + 1}`,
      valueType: "integer",
      aggregation: "sum",
    });
  const e = (n: number) => `#{${LOAD_ELEMENTS[n - 1]}}`;
  const rules: Array<[string, string, "<=" | "==", string]> = [
    ["LOAD_R1", e(2), "<=", e(1)],
    ["LOAD_R2", e(4), "<=", e(3)],
    ["LOAD_R3", `${e(6)} + ${e(7)}`, "<=", e(5)],
    ["LOAD_R4", e(9), "<=", e(8)],
  ];
  for (const [code, left, operator, right] of rules)
    await createValidationRule(db, ctx, {
      code,
      left,
      operator,
      right,
      importance: "medium",
      messageVi: `${left} không được lớn hơn ${right}`,
      messageEn: `${left} must not exceed ${right}`,
    });
  const units = rowsOf<{ code: string }>(
    await db.execute(sql`SELECT code FROM unit_versions
      WHERE level = 'commune' AND valid_to IS NULL ORDER BY code LIMIT ${communes}`),
  );
  await createForm(db, ctx, {
    code: LOAD_FORM,
    nameVi: "Biểu thử tải nhập liệu",
    nameEn: "Data-entry load form",
    periodType: "yearly",
    sections: [
      { nameVi: "Phần 1", nameEn: "Part 1", elements: LOAD_ELEMENTS.slice(0, 6) },
      { nameVi: "Phần 2", nameEn: "Part 2", elements: LOAD_ELEMENTS.slice(6) },
    ],
    units: units.map((u) => u.code),
  });
  const accounts: LoadAccount[] = [];
  for (const [i, unit] of units.entries()) {
    const username = `load.c${String(i + 1).padStart(3, "0")}`;
    await createUser(db, ctx, new Date(), {
      username,
      displayName: `Cán bộ xã thử tải ${i + 1}`,
      role: "commune_officer",
      scopeCode: unit.code,
      password: LOAD_PASSWORD,
    });
    accounts.push({ username, unitCode: unit.code });
  }
  const [province] = rowsOf<{ code: string }>(
    await db.execute(sql`SELECT p.code FROM unit_versions p
      WHERE p.level = 'province' AND p.valid_to IS NULL
      ORDER BY (SELECT count(*) FROM unit_versions c WHERE c.parent_code = p.code AND c.valid_to IS NULL) DESC
      LIMIT 1`),
  );
  return { accounts, provinceCode: province?.code ?? "14" };
}
