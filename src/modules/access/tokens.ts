import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { badRequest, forbidden, notFound } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import { recordAudit } from "../audit/record.ts";
import { type RequestContext, type Role, roles } from "./actor.ts";
import { sha256, TOKEN_PREFIX } from "./auth.ts";
import { grantableRoles, scopeLevels } from "./policies.ts";
import { presentToken, type TokenView } from "./presenters.ts";
import { apiTokens, users } from "./schema.ts";
import { assertUnitInScope, currentVersionForScope, scopeOfVersion } from "./scope.ts";

export const createTokenInput = z.object({
  name: safeText().trim().min(1).max(100).describe("What the token is for, e.g. 'DHIS2 sync'"),
  role: z
    .enum(roles as [Role, ...Role[]])
    .optional()
    .describe("Your role or one you may give; yours by default"),
  scopeCode: safeText().trim().max(32).optional().describe("A unit within your scope; yours by default"),
  expiresInDays: z.number().int().min(1).max(730).optional(),
});

/** Makes an API token for the signed-in user, no wider than the user. The secret is returned this once only. */
export async function createToken(
  db: Db,
  ctx: RequestContext,
  now: Date,
  raw: z.input<typeof createTokenInput>,
): Promise<{ token: TokenView; secret: string }> {
  const input = createTokenInput.parse(raw);
  const actor = ctx.actor;
  if (actor.kind !== "user")
    throw forbidden({
      vi: "Mã truy cập API do một người đã đăng nhập tạo ra.",
      en: "API tokens are made by a signed-in person.",
    });
  const role = input.role ?? actor.role;
  if (role !== actor.role && !grantableRoles[actor.role].includes(role))
    throw forbidden({
      vi: `Mã truy cập không thể mang vai trò ${role}.`,
      en: `A token cannot have the role ${role}.`,
    });
  const scope = input.scopeCode ? await currentVersionForScope(db, input.scopeCode) : actor.scope;
  if (scope) await assertUnitInScope(db, actor, scope.code);
  else if (role !== "system_admin")
    throw forbidden({
      vi: "Mã truy cập dưới quyền quản trị hệ thống phải gắn với một đơn vị.",
      en: "A token below system administrator needs a unit scope.",
    });
  // A role is valid at some levels only: a commune officer's token is scoped to a commune, never a whole province.
  if (scope && !scopeLevels[role].includes(scope.level))
    throw badRequest(
      "invalid_input",
      {
        vi: `Vai trò ${role} chỉ gắn với cấp ${scopeLevels[role].join(" hoặc ")}, không phải ${scope.level}.`,
        en: `A ${role} is scoped to a ${scopeLevels[role].join(" or ")}, not a ${scope.level}.`,
      },
      { fields: [{ field: "scopeCode", message: `must be a ${scopeLevels[role].join(" or ")}` }] },
    );
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: input.name,
        tokenHash: sha256(secret),
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        userId: Number(actor.id),
        role,
        scopeVersionId: scope?.versionId ?? null,
        createdAt: now,
        expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const token = presentToken(row, scope);
    await recordAudit(tx, ctx, {
      action: "tokens.create",
      recordKind: "api_token",
      recordId: row.id,
      unitCode: scope?.code ?? null,
      after: {
        name: token.name,
        prefix: token.prefix,
        role,
        scope: scope?.code ?? null,
        expiresAt: token.expiresAt,
      },
    });
    return { token, secret };
  });
}

/** The signed-in user's own tokens, newest first. */
export async function listTokens(db: Db, ctx: RequestContext): Promise<TokenView[]> {
  if (ctx.actor.kind !== "user" && ctx.actor.kind !== "token") return [];
  const rows = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, Number(ctx.actor.id)))
    .orderBy(desc(apiTokens.id));
  return Promise.all(
    rows.map(async (row) => presentToken(row, await scopeOfVersion(db, row.scopeVersionId))),
  );
}

const noSuchToken = (id: number) => ({
  vi: `Bạn không có mã truy cập API số ${id}.`,
  en: `No API token ${id} of yours.`,
});

/** Revokes a token: one's own, or any as a system administrator or from the CLI. Revoking twice changes nothing. */
export async function revokeToken(db: Db, ctx: RequestContext, now: Date, id: number): Promise<TokenView> {
  const actor = ctx.actor;
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  const mayRevoke =
    row &&
    (actor.kind === "system" ||
      ((actor.kind === "user" || actor.kind === "token") &&
        (actor.role === "system_admin" || String(row.userId) === actor.id)));
  if (!row || !mayRevoke) throw notFound("token_not_found", noSuchToken(id));
  const scope = await scopeOfVersion(db, row.scopeVersionId);
  if (row.revokedAt) return presentToken(row, scope);
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning();
    if (!revoked) throw notFound("token_not_found", noSuchToken(id));
    await recordAudit(tx, ctx, {
      action: "tokens.revoke",
      recordKind: "api_token",
      recordId: id,
      unitCode: scope?.code ?? null,
      before: { revokedAt: null },
      after: { revokedAt: now.toISOString() },
    });
    return presentToken(revoked, scope);
  });
}

/** Owner names for display. */
export async function usernameOf(db: Db, id: number): Promise<string | null> {
  const [row] = await db.select({ username: users.username }).from(users).where(eq(users.id, id));
  return row?.username ?? null;
}

/** A token's name and prefix, for `GET /auth/me` with that token. */
export async function tokenSummary(
  db: Db,
  id: number,
): Promise<{ id: number; name: string; prefix: string } | null> {
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix })
    .from(apiTokens)
    .where(eq(apiTokens.id, id));
  return row ?? null;
}
