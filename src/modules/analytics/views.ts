/**
 * Saved analytics views: a pivot query with its layout and chart, shared with the people whose scope covers the
 * view's unit (and always visible to its owner). Every write is audited in its own transaction; `version` guards
 * edits (409 `stale_version` with the view as it is now).
 */
import { z } from "@hono/zod-openapi";
import { desc, eq, inArray, or, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError, badRequest, forbidden, notFound } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import { type Actor, isSignedIn, type RequestContext } from "../access/actor.ts";
import { assertUnitInScope, subtreeCodes } from "../access/scope.ts";
import { accountNames } from "../access/users.ts";
import { recordAudit } from "../audit/record.ts";
import { assertSingleFilters, dimensions, resolveLayout } from "./layout.ts";
import { assertUnitSpecsInScope, parseUnitSpecs, planQuery } from "./plan.ts";
import { analyticsViews } from "./schema.ts";

const codeList = (max: number) => z.array(safeText().trim().min(1).max(64)).min(1).max(max);
const dimension = z.enum(dimensions);

export const viewQuery = z
  .object({
    dx: codeList(50).openapi({ description: "Data element and indicator codes", example: ["GRID_PCT"] }),
    pe: codeList(60).openapi({ description: "Period codes, fixed or relative", example: ["2025"] }),
    ou: codeList(50).openapi({
      description: "Unit specs as in GET /analytics: CODE, CODE:children, CODE:level:commune, level:province",
      example: ["14:children"],
    }),
    hierarchyDate: z.iso.date().optional(),
    rows: z.array(dimension).max(3),
    columns: z.array(dimension).max(3),
    filter: z.array(dimension).max(3).optional(),
    chart: z.enum(["table", "bar", "line"]),
  })
  .openapi("AnalyticsViewQuery");
export type ViewQuery = z.infer<typeof viewQuery>;

const viewName = z.string().trim().min(1).max(200);
const viewDescription = safeText({ multiLine: true }).trim().max(2000);

export const createViewInput = z.object({
  name: viewName,
  description: viewDescription.nullable().optional(),
  unitCode: safeText().trim().min(1).max(32).optional().openapi({
    description:
      "The unit the view is shared with (default your scope unit; required for a system administrator)",
  }),
  query: viewQuery,
});
export const updateViewInput = z.object({
  version: z
    .number()
    .int()
    .min(1)
    .openapi({ description: "The version you read; 409 when it changed since" }),
  name: viewName.optional(),
  description: viewDescription.nullable().optional(),
  query: viewQuery.optional(),
});

export const viewSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    description: z.string().nullable(),
    unitCode: z.string(),
    unitName: z.string().nullable(),
    ownerId: z.number(),
    ownerName: z.string().nullable(),
    isMine: z.boolean(),
    query: viewQuery,
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number(),
  })
  .openapi("AnalyticsView");
export type View = z.infer<typeof viewSchema>;

type Row = typeof analyticsViews.$inferSelect;

/** The account id of a signed-in actor (views belong to accounts). */
function ownerIdOf(actor: Actor): number {
  if (!isSignedIn(actor) || !/^\d{1,15}$/.test(actor.id))
    throw forbidden({
      vi: "Chỉ tài khoản đã đăng nhập mới lưu được cách xem.",
      en: "Only a signed-in account can save views.",
    });
  return Number(actor.id);
}

/** Checks a view's query as the analytics route would: layout, unit specs in scope, every code known. */
async function checkQuery(db: DbOrTx, actor: Actor, query: ViewQuery): Promise<void> {
  const layout = resolveLayout({
    rows: query.rows,
    columns: query.columns,
    ...(query.filter ? { filter: query.filter } : {}),
  });
  assertSingleFilters(layout.filter, {
    dx: new Set(query.dx).size,
    pe: new Set(query.pe).size,
    ou: new Set(query.ou).size,
  });
  const units = parseUnitSpecs(query.ou, "query.ou");
  await assertUnitSpecsInScope(db, actor, units);
  await planQuery(db, {
    data: query.dx,
    periods: query.pe,
    units,
    ...(query.hierarchyDate ? { hierarchyDate: query.hierarchyDate } : {}),
  });
}

/** Unit codes → the name of the version valid today, or else of the latest one. */
async function unitNames(db: DbOrTx, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = rowsOf<{ code: string; name: string }>(
    await db.execute(sql`SELECT DISTINCT ON (code) code, name FROM unit_versions
      WHERE code IN (${sql.join([...new Set(codes)], sql`, `)})
      ORDER BY code, valid_to DESC NULLS FIRST`),
  );
  return new Map(rows.map((r) => [r.code, r.name]));
}

async function present(db: DbOrTx, actor: Actor, rows: Row[]): Promise<View[]> {
  const [units, owners] = await Promise.all([
    unitNames(
      db,
      rows.map((r) => r.unitCode),
    ),
    accountNames(
      db,
      rows.map((r) => String(r.ownerId)),
    ),
  ]);
  const me = isSignedIn(actor) ? actor.id : null;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    unitCode: r.unitCode,
    unitName: units.get(r.unitCode) ?? null,
    ownerId: r.ownerId,
    ownerName: owners.get(String(r.ownerId)) ?? null,
    isMine: me === String(r.ownerId),
    query: r.query as ViewQuery,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  }));
}

/** What the actor sees: null = every unit (system), else the codes their scope covers. */
async function coveredCodes(db: DbOrTx, actor: Actor): Promise<Set<string> | null> {
  if (actor.kind === "system") return null;
  if (!isSignedIn(actor)) return new Set();
  if (actor.scope === null) return actor.role === "system_admin" ? null : new Set();
  return subtreeCodes(db, actor.scope);
}

const visibleTo = (row: Row, actor: Actor, covered: Set<string> | null) =>
  covered === null || covered.has(row.unitCode) || (isSignedIn(actor) && actor.id === String(row.ownerId));

/** The views shared with a unit the actor's scope covers, and the actor's own; newest first (chosen in SQL). */
export async function listViews(db: DbOrTx, actor: Actor): Promise<View[]> {
  const covered = await coveredCodes(db, actor);
  const own =
    isSignedIn(actor) && /^\d{1,15}$/.test(actor.id)
      ? eq(analyticsViews.ownerId, Number(actor.id))
      : undefined;
  const shared =
    covered === null ? undefined : covered.size ? inArray(analyticsViews.unitCode, [...covered]) : undefined;
  const where = covered === null ? undefined : or(shared ?? sql`false`, own ?? sql`false`);
  const rows = await db
    .select()
    .from(analyticsViews)
    .where(where)
    .orderBy(desc(analyticsViews.createdAt), desc(analyticsViews.id));
  return present(db, actor, rows);
}

export async function createView(
  db: Db,
  ctx: RequestContext,
  raw: z.input<typeof createViewInput>,
): Promise<View> {
  const input = createViewInput.parse(raw);
  const actor = ctx.actor;
  const ownerId = ownerIdOf(actor);
  const unitCode = input.unitCode ?? (isSignedIn(actor) ? actor.scope?.code : undefined);
  if (!unitCode)
    throw badRequest(
      "invalid_input",
      {
        vi: "Cần unitCode: hãy cho biết cách xem được chia sẻ với đơn vị nào.",
        en: "unitCode is required: say which unit the view is shared with.",
      },
      {
        fields: [{ field: "unitCode", message: "Required for an account without a scope unit." }],
      },
    );
  return db.transaction(async (tx) => {
    const [exists] = rowsOf<{ n: number | string }>(
      await tx.execute(sql`SELECT count(*) AS n FROM unit_versions WHERE code = ${unitCode}`),
    );
    if (!Number(exists?.n))
      throw badRequest(
        "unknown_codes",
        {
          vi: `Không có đơn vị nào mã ${unitCode}.`,
          en: `No unit has code ${unitCode}.`,
        },
        {
          problems: [{ field: "unitCode", code: unitCode, message: `No unit has code ${unitCode}.` }],
        },
      );
    await assertUnitInScope(tx, actor, unitCode);
    await checkQuery(tx, actor, input.query);
    const [row] = await tx
      .insert(analyticsViews)
      .values({
        name: input.name,
        description: input.description ?? null,
        unitCode,
        ownerId,
        query: input.query,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await recordAudit(tx, ctx, {
      action: "analytics.view_create",
      recordKind: "analytics_view",
      recordId: row.id,
      unitCode,
      after: auditShape(row),
    });
    const [view] = await present(tx, actor, [row]);
    return view as View;
  });
}

const auditShape = (r: Row) => ({
  name: r.name,
  description: r.description,
  unitCode: r.unitCode,
  ownerId: r.ownerId,
  query: r.query,
  version: r.version,
});

/**
 * The view to change or delete: 404 when the actor cannot see it, 403 unless they own it or administer (system or
 * province) a scope covering its unit, 409 with the current view when `version` is not the stored one.
 */
async function viewToChange(tx: DbOrTx, actor: Actor, id: number, version: number): Promise<Row> {
  const [row] = await tx.select().from(analyticsViews).where(eq(analyticsViews.id, id)).for("update");
  const covered = await coveredCodes(tx, actor);
  if (!row || !visibleTo(row, actor, covered))
    throw notFound(
      "view_not_found",
      { vi: `Không có cách xem đã lưu số ${id}.`, en: `No saved view ${id}.` },
      { id },
    );
  const mine = isSignedIn(actor) && actor.id === String(row.ownerId);
  const administers =
    actor.kind === "system" ||
    (isSignedIn(actor) &&
      (actor.role === "system_admin" || actor.role === "province_admin") &&
      (covered === null || covered.has(row.unitCode)));
  if (!mine && !administers)
    throw forbidden({
      vi: "Chỉ người tạo cách xem hoặc quản trị viên phụ trách đơn vị của nó mới sửa được.",
      en: "Only the view's owner or an administrator covering its unit may change it.",
    });
  if (row.version !== version) {
    const [current] = await present(tx, actor, [row]);
    throw new AppError(
      409,
      "stale_version",
      {
        vi: `Người khác vừa sửa cách xem ${id}; đây là nội dung hiện nay.`,
        en: `Someone else changed view ${id} meanwhile; here it is now.`,
      },
      {
        current,
      },
    );
  }
  return row;
}

export async function updateView(
  db: Db,
  ctx: RequestContext,
  id: number,
  raw: z.input<typeof updateViewInput>,
): Promise<View> {
  const input = updateViewInput.parse(raw);
  return db.transaction(async (tx) => {
    const before = await viewToChange(tx, ctx.actor, id, input.version);
    if (input.query) await checkQuery(tx, ctx.actor, input.query);
    const [after] = await tx
      .update(analyticsViews)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.query ? { query: input.query } : {}),
        updatedAt: new Date(),
        version: sql`${analyticsViews.version} + 1`,
      })
      .where(eq(analyticsViews.id, id))
      .returning();
    if (!after) throw new Error("update returned nothing");
    await recordAudit(tx, ctx, {
      action: "analytics.view_update",
      recordKind: "analytics_view",
      recordId: id,
      unitCode: after.unitCode,
      before: auditShape(before),
      after: auditShape(after),
    });
    const [view] = await present(tx, ctx.actor, [after]);
    return view as View;
  });
}

export async function deleteView(db: Db, ctx: RequestContext, id: number, version: number): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await viewToChange(tx, ctx.actor, id, version);
    await tx.delete(analyticsViews).where(eq(analyticsViews.id, id));
    await recordAudit(tx, ctx, {
      action: "analytics.view_delete",
      recordKind: "analytics_view",
      recordId: id,
      unitCode: before.unitCode,
      before: auditShape(before),
    });
  });
}
