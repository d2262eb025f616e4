import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";
import { rowsOf } from "../../db/client.ts";
import { badRequest } from "../../http/errors.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { getForm } from "./catalogue.ts";
import { parseExpression, referencedElements } from "./expression.ts";
import { parsePeriod, previousPeriod } from "./periods.ts";
import { validationRules } from "./schema.ts";

/**
 * What the entry screen shows beside each field to catch a slip of the finger (issue 10's guardrails), read-only:
 * the previous period's value, the element's usual range among the unit's neighbours, the form's change factor,
 * and the validation rules of the form so that the browser checks them even with no connection.
 */
export interface EntryContext {
  previousPeriod: string | null;
  /** A value more than this factor above or below the previous one gets a soft warning. */
  changeFactor: number;
  elements: Record<
    string,
    {
      previous: string | null;
      /** 10th–90th percentile of this element over the unit's siblings and itself in the last four periods. */
      usualMin: number | null;
      usualMax: number | null;
    }
  >;
  rules: Array<{
    code: string;
    left: string;
    operator: "==" | "!=" | "<" | "<=" | ">" | ">=";
    right: string;
    importance: "high" | "medium" | "low";
    message: { vi: string; en: string };
  }>;
}

/** Fewer values than this make no "usual range". */
const minimumSample = 5;
const lookBack = 4;

export async function entryContext(
  db: DbOrTx,
  ctx: RequestContext,
  formCode: string,
  unitCode: string,
  periodCode: string,
): Promise<EntryContext> {
  await assertUnitInScope(db, ctx.actor, unitCode);
  const form = await getForm(db, formCode);
  const period = parsePeriod(periodCode);
  if (!period || period.type !== form.periodType)
    throw badRequest(
      "invalid_input",
      {
        vi: `"${periodCode}" không phải kỳ báo cáo của biểu mẫu ${formCode}.`,
        en: `"${periodCode}" is not a period of form ${formCode}.`,
      },
      { fields: [{ field: "period", message: `a ${form.periodType} period` }] },
    );
  const earlier: string[] = [];
  for (let p = previousPeriod(period); p && earlier.length < lookBack; p = previousPeriod(p))
    earlier.push(p.code);
  const previous = earlier[0] ?? null;
  const codes = form.sections.flatMap((s) => s.elements.map((e) => e.code));
  const elements: EntryContext["elements"] = Object.fromEntries(
    codes.map((c) => [c, { previous: null, usualMin: null, usualMax: null }]),
  );
  if (previous && codes.length) {
    const rows = rowsOf<{ code: string; value: string }>(
      await db.execute(sql`
        SELECT e.code, v.value FROM data_values v
        JOIN data_elements e ON e.id = v.element_id
        JOIN unit_versions u ON u.id = v.unit_version_id
        WHERE u.code = ${unitCode} AND v.period = ${previous} AND e.code IN (${sql.join(codes, sql`, `)})`),
    );
    for (const r of rows) {
      const entry = elements[r.code];
      if (entry) entry.previous = r.value;
    }
    // Siblings: units under the same parent today, which report in the same terms.
    const ranges = rowsOf<{ code: string; n: string | number; lo: string | null; hi: string | null }>(
      await db.execute(sql`
        WITH me AS (
          SELECT parent_code FROM unit_versions WHERE code = ${unitCode} ORDER BY valid_from DESC NULLS LAST LIMIT 1),
        peers AS (
          SELECT DISTINCT u.code FROM unit_versions u, me
          WHERE u.code = ${unitCode} OR (me.parent_code IS NOT NULL AND u.parent_code = me.parent_code))
        SELECT e.code, count(*) AS n,
          percentile_cont(0.1) WITHIN GROUP (ORDER BY v.numeric_value)::text AS lo,
          percentile_cont(0.9) WITHIN GROUP (ORDER BY v.numeric_value)::text AS hi
        FROM data_values v
        JOIN data_elements e ON e.id = v.element_id
        JOIN unit_versions u ON u.id = v.unit_version_id
        WHERE u.code IN (SELECT code FROM peers) AND v.numeric_value IS NOT NULL
          AND v.period IN (${sql.join(earlier, sql`, `)})
          AND e.code IN (${sql.join(codes, sql`, `)})
          AND e.value_type IN ('number', 'integer', 'percentage')
        GROUP BY e.code`),
    );
    for (const r of ranges) {
      const entry = elements[r.code];
      if (!entry || Number(r.n) < minimumSample || r.lo === null || r.hi === null) continue;
      entry.usualMin = Number(r.lo);
      entry.usualMax = Number(r.hi);
    }
  }
  const inForm = new Set(codes);
  const rules = (await db.select().from(validationRules)).filter((rule) => {
    const left = parseExpression(rule.left);
    const right = parseExpression(rule.right);
    if (!left.ok || !right.ok) return false;
    const refs = [...referencedElements(left.expr), ...referencedElements(right.expr)];
    return refs.length > 0 && refs.every((c) => inForm.has(c));
  });
  return {
    previousPeriod: previous,
    changeFactor: form.changeFactor,
    elements,
    rules: rules.map((r) => ({
      code: r.code,
      left: r.left,
      operator: r.operator,
      right: r.right,
      importance: r.importance,
      message: { vi: r.messageVi, en: r.messageEn },
    })),
  };
}
