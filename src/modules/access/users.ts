import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError, badRequest, forbidden, noteSecurity, notFound } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import { zodMessage } from "../../http/validation.ts";
import { recordAudit } from "../audit/record.ts";
import { todayInVietnam } from "../units/text.ts";
import { type Actor, type RequestContext, type Role, roles, type Scope } from "./actor.ts";
import { forgetSignInFailures } from "./auth.ts";
import { assertStrongPassword, generatePassword, hashPassword } from "./passwords.ts";
import { grantableRoles, scopeLevels } from "./policies.ts";
import { presentUser, type UserView } from "./presenters.ts";
import { sessions, users } from "./schema.ts";
import { assertUnitInScope, currentVersionForScope, scopeOfVersion } from "./scope.ts";

const username = safeText()
  .trim()
  .min(3)
  .max(64)
  .regex(
    /^[a-zA-Z0-9._-]+$/,
    zodMessage({
      vi: "chữ không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới",
      en: "letters without diacritics, digits, dot, dash or underscore",
    }),
  );

export const createUserInput = z.object({
  username,
  displayName: safeText().trim().min(1).max(200),
  role: z.enum(roles as [Role, ...Role[]]),
  scopeCode: safeText().trim().max(32).nullable().default(null),
  password: safeText().max(200).optional().describe("Left out: a random one is made and returned once"),
});

export const updateUserInput = z.object({
  version: z
    .number()
    .int()
    .min(1)
    .describe("The version you read; a newer one means someone else changed the account (409)"),
  displayName: safeText().trim().min(1).max(200).optional(),
  role: z.enum(roles as [Role, ...Role[]]).optional(),
  scopeCode: safeText().trim().max(32).nullable().optional(),
  isDisabled: z.boolean().optional(),
  unlock: z.boolean().optional().describe("Lift a lockout after failed sign-ins"),
  password: safeText().max(200).optional().describe("Set a new password for the account"),
  reason: safeText({ multiLine: true }).trim().max(2000).optional(),
});

const hiddenUser = (id: number | string) => ({
  code: "user_not_found",
  message: { vi: `Không có tài khoản ${id} trong phạm vi của bạn.`, en: `No account ${id} in your scope.` },
});

/** Codes of the account's scope unit and its ancestors, as they were while that unit version was valid. */
async function scopeChain(db: DbOrTx, scope: Scope): Promise<string[]> {
  const rows = rowsOf<{ code: string }>(
    await db.execute(sql`
      WITH RECURSIVE up(code, parent_code, ref, depth) AS (
        SELECT v.code, v.parent_code, COALESCE(v.valid_to - 1, ${todayInVietnam()}::date), 0 FROM unit_versions v WHERE v.id = ${scope.versionId}
        UNION
        SELECT p.code, p.parent_code, up.ref, up.depth + 1 FROM unit_versions p JOIN up ON p.code = up.parent_code
        WHERE (p.valid_from IS NULL OR p.valid_from <= up.ref) AND (p.valid_to IS NULL OR p.valid_to > up.ref) AND up.depth < 4)
      SELECT code FROM up`),
  );
  return rows.map((r) => r.code);
}

/** Whether the actor administers accounts scoped to `scope`. */
async function administers(db: DbOrTx, actor: Actor, scope: Scope | null): Promise<boolean> {
  if (actor.kind === "system") return true;
  if (actor.kind === "anonymous") return false;
  if (actor.role === "system_admin") return true;
  if (!actor.scope || !scope) return false;
  return (await scopeChain(db, scope)).includes(actor.scope.code);
}

function assertGrantable(actor: Actor, role: Role) {
  const granter: Role =
    actor.kind === "system" ? "system_admin" : actor.kind === "anonymous" ? "viewer" : actor.role;
  if (!grantableRoles[granter].includes(role))
    throw forbidden({ vi: `Bạn không thể cấp vai trò ${role}.`, en: `You cannot give the role ${role}.` });
}

/**
 * An account is managed only from above: by someone who may give its role (a province administrator manages the
 * province's officers and viewers, never another province administrator), or by a system administrator.
 */
function assertManages(actor: Actor, target: { id: number; role: Role }) {
  if (actor.kind === "system") return;
  if (actor.kind === "anonymous") throw forbidden();
  if (actor.role === "system_admin") return;
  if (!grantableRoles[actor.role].includes(target.role))
    throw forbidden({
      vi: "Tài khoản quản trị chỉ do cấp trên hoặc quản trị hệ thống quản lý.",
      en: "An administrator's account is managed only by a higher level or the system administrator.",
    });
}

async function scopeFor(
  db: DbOrTx,
  actor: Actor,
  role: Role,
  scopeCode: string | null,
): Promise<Scope | null> {
  if (role === "system_admin") {
    if (scopeCode)
      throw badRequest(
        "invalid_input",
        {
          vi: "Quản trị hệ thống không gắn với đơn vị nào.",
          en: "A system administrator has no unit scope.",
        },
        { fields: [{ field: "scopeCode", message: "must be empty for system_admin" }] },
      );
    return null;
  }
  if (!scopeCode)
    throw badRequest(
      "invalid_input",
      { vi: `Vai trò ${role} phải gắn với một đơn vị.`, en: `A ${role} needs a unit scope.` },
      { fields: [{ field: "scopeCode", message: "required" }] },
    );
  const scope = await currentVersionForScope(db, scopeCode);
  if (!scopeLevels[role].includes(scope.level))
    throw badRequest(
      "invalid_input",
      {
        vi: `Vai trò ${role} chỉ gắn với cấp ${scopeLevels[role].join(" hoặc ")}, không phải ${scope.level}.`,
        en: `A ${role} is scoped to a ${scopeLevels[role].join(" or ")}, not a ${scope.level}.`,
      },
      {
        fields: [{ field: "scopeCode", message: `must be a ${scopeLevels[role].join(" or ")}` }],
      },
    );
  await assertUnitInScope(db, actor, scope.code);
  return scope;
}

export async function createUser(
  db: Db,
  ctx: RequestContext,
  now: Date,
  raw: z.input<typeof createUserInput>,
): Promise<{ user: UserView; initialPassword?: string }> {
  const input = createUserInput.parse(raw);
  assertGrantable(ctx.actor, input.role);
  const scope = await scopeFor(db, ctx.actor, input.role, input.scopeCode);
  const password = input.password ?? generatePassword();
  if (input.password !== undefined)
    assertStrongPassword(password, input.username, "password", input.displayName);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${input.username})`);
    if (taken)
      throw new AppError(
        409,
        "username_taken",
        {
          vi: `Tên đăng nhập ${input.username} đã có người dùng.`,
          en: `The sign-in name ${input.username} is taken.`,
        },
        { field: "username" },
      );
    const [user] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        role: input.role,
        scopeVersionId: scope?.versionId ?? null,
        passwordChangedAt: now,
        createdAt: now,
      })
      .returning();
    if (!user) throw new Error("insert returned nothing");
    const view = presentUser(user, scope, now);
    await recordAudit(tx, ctx, {
      action: "users.create",
      recordKind: "user",
      recordId: user.id,
      unitCode: scope?.code ?? null,
      after: {
        username: view.username,
        displayName: view.displayName,
        role: view.role,
        scope: view.scope?.code ?? null,
      },
    });
    return input.password === undefined ? { user: view, initialPassword: password } : { user: view };
  });
}

export async function listUsers(
  db: Db,
  ctx: RequestContext,
  now: Date,
  filter: { q?: string | undefined } = {},
): Promise<UserView[]> {
  const rows = await db.select().from(users).orderBy(users.username);
  const result: UserView[] = [];
  for (const user of rows) {
    if (filter.q && !`${user.username} ${user.displayName}`.toLowerCase().includes(filter.q.toLowerCase()))
      continue;
    const scope = await scopeOfVersion(db, user.scopeVersionId);
    if (await administers(db, ctx.actor, scope)) result.push(presentUser(user, scope, now));
  }
  return result;
}

async function visibleUser(db: DbOrTx, actor: Actor, id: number) {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  const scope = user ? await scopeOfVersion(db, user.scopeVersionId) : null;
  if (!user || !(await administers(db, actor, scope)))
    throw noteSecurity(notFound(hiddenUser(id).code, hiddenUser(id).message), {
      kind: "out_of_scope",
      unitCode: scope?.code ?? null,
    });
  return { user, scope };
}

export async function getUser(db: Db, ctx: RequestContext, now: Date, id: number): Promise<UserView> {
  const { user, scope } = await visibleUser(db, ctx.actor, id);
  return presentUser(user, scope, now);
}

/**
 * Changes an account: name, role, scope, disabled, lockout, password. Refuses (409) when `version` is not the
 * account's current one, so two administrators editing at once never overwrite each other unseen.
 */
export async function updateUser(
  db: Db,
  ctx: RequestContext,
  now: Date,
  id: number,
  raw: z.input<typeof updateUserInput>,
): Promise<UserView> {
  const input = updateUserInput.parse(raw);
  const { user, scope } = await visibleUser(db, ctx.actor, id);
  const isSelf = ctx.actor.kind !== "system" && ctx.actor.kind !== "anonymous" && ctx.actor.id === String(id);
  if (isSelf && (input.isDisabled || input.role))
    throw forbidden({
      vi: "Bạn không thể khoá tài khoản của mình hay đổi vai trò của chính mình.",
      en: "You cannot disable your own account or change your own role.",
    });
  // One's own name may be changed here; anything else about an administrator's account only from above.
  const onlyName =
    input.role === undefined &&
    input.scopeCode === undefined &&
    input.isDisabled === undefined &&
    !input.unlock &&
    input.password === undefined;
  if (!(isSelf && onlyName)) assertManages(ctx.actor, user);
  const role = input.role ?? user.role;
  if (input.role) assertGrantable(ctx.actor, input.role);
  else if (input.scopeCode !== undefined) assertGrantable(ctx.actor, role);
  const newScope =
    input.scopeCode !== undefined || input.role
      ? await scopeFor(db, ctx.actor, role, input.scopeCode ?? scope?.code ?? null)
      : scope;
  if (input.password !== undefined)
    assertStrongPassword(input.password, user.username, "password", user.displayName);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;

  return db.transaction(async (tx) => {
    if (input.unlock) await forgetSignInFailures(tx, user.username);
    const [updated] = await tx
      .update(users)
      .set({
        displayName: input.displayName ?? user.displayName,
        role,
        scopeVersionId: newScope?.versionId ?? null,
        isDisabled: input.isDisabled ?? user.isDisabled,
        ...(input.unlock ? { lockedUntil: null, failedSignIns: 0 } : {}),
        ...(passwordHash ? { passwordHash, passwordChangedAt: now } : {}),
        version: sql`${users.version} + 1`,
      })
      .where(and(eq(users.id, id), eq(users.version, input.version)))
      .returning();
    if (!updated) {
      const [current] = await tx.select().from(users).where(eq(users.id, id));
      throw new AppError(
        409,
        "stale_version",
        {
          vi: "Người khác đã sửa tài khoản này sau khi bạn mở nó; đây là nội dung hiện nay.",
          en: "Someone else changed this account since you opened it; here is what it is now.",
        },
        {
          current: current
            ? presentUser(current, await scopeOfVersion(tx, current.scopeVersionId), now)
            : null,
        },
      );
    }
    if (updated.isDisabled || passwordHash)
      await tx
        .update(sessions)
        .set({ endedAt: now })
        .where(and(eq(sessions.userId, id), sql`${sessions.endedAt} IS NULL`));
    const before = presentUser(user, scope, now);
    const after = presentUser(updated, newScope, now);
    const snapshot = (v: UserView) => ({
      displayName: v.displayName,
      role: v.role,
      scope: v.scope?.code ?? null,
      isDisabled: v.isDisabled,
      lockedUntil: v.lockedUntil,
      version: v.version,
    });
    await recordAudit(tx, ctx, {
      action: input.isDisabled === true && !user.isDisabled ? "users.disable" : "users.update",
      recordKind: "user",
      recordId: id,
      unitCode: newScope?.code ?? scope?.code ?? null,
      before: snapshot(before),
      after: { ...snapshot(after), ...(passwordHash ? { passwordReset: true } : {}) },
      reason: input.reason ?? null,
    });
    return after;
  });
}

/** Disables an account by sign-in name (CLI). */
export async function disableUserByName(
  db: Db,
  ctx: RequestContext,
  now: Date,
  name: string,
): Promise<UserView> {
  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${name})`);
  if (!user)
    throw notFound("user_not_found", { vi: `Không có tài khoản ${name}.`, en: `No account ${name}.` });
  return updateUser(db, ctx, now, user.id, { version: user.version, isDisabled: true });
}

/**
 * The display names of the accounts among these actor ids (an account's id as text, as rows and audit events record
 * who wrote them), so that screens say who rather than a number. System actors and unknown ids have none.
 */
export async function accountNames(
  db: DbOrTx,
  actorIds: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const ids = [...new Set([...actorIds].filter((id): id is string => !!id && /^\d{1,15}$/.test(id)))].map(
    Number,
  );
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(rows.map((r) => [String(r.id), r.displayName]));
}
