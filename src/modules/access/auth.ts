import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { AppError, unauthorized } from "../../server/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { type Actor, anonymous, type RequestContext, type SignedIn } from "./actor.ts";
import { assertStrongPassword, decoyPasswordHash, hashPassword, verifyPassword } from "./passwords.ts";
import { apiTokens, sessions, signInThrottle, users } from "./schema.ts";
import { scopeOfVersion } from "./scope.ts";

export const SESSION_COOKIE = "gr_session";
export const TOKEN_PREFIX = "grt_";

export interface AuthSettings {
  /** A session unused this long ends. */
  idleMinutes: number;
  /** A session ends this long after sign-in, used or not. */
  maxHours: number;
  now: () => Date;
}

/** Failed sign-ins of one account before it is locked, and for how long. */
export const ACCOUNT_LOCK = { failures: 5, minutes: 15 };
/** Failed sign-ins from one address within the window before it is refused for the rest of the window. */
export const ADDRESS_LIMIT = { failures: 20, minutes: 15 };
/** Bookkeeping writes (last seen, last used) at most this often per session or token. */
const TOUCH_SECONDS = 60;

export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const minutes = (n: number) => n * 60_000;

const invalidCredentials = () => new AppError(401, "invalid_credentials", "Wrong sign-in name or password.");
const sessionExpired = () => new AppError(401, "session_expired", "Your session has ended; sign in again.");

export interface Authentication {
  actor: Actor;
  /** Why a credential that was presented was not accepted. */
  problem?: AppError;
}

async function actorForUser(db: Db, userId: number, extra: Partial<SignedIn>): Promise<SignedIn | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || user.isDisabled) return undefined;
  return {
    kind: "user",
    id: String(user.id),
    role: user.role,
    scope: await scopeOfVersion(db, user.scopeVersionId),
    ...extra,
  };
}

/** Resolves a request's actor from its session cookie or its `Authorization: Bearer grt_…` token. */
export async function authenticate(
  db: Db,
  settings: AuthSettings,
  credentials: { cookie?: string | undefined; bearer?: string | undefined },
): Promise<Authentication> {
  const now = settings.now();
  if (credentials.bearer) {
    const [token] = await db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, sha256(credentials.bearer)), isNull(apiTokens.revokedAt)));
    if (!token || (token.expiresAt && token.expiresAt <= now))
      return {
        actor: anonymous,
        problem: new AppError(401, "invalid_token", "The API token is unknown, revoked or expired."),
      };
    const owner = await actorForUser(db, token.userId, {});
    if (!owner)
      return {
        actor: anonymous,
        problem: new AppError(401, "invalid_token", "The token's account is disabled."),
      };
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > TOUCH_SECONDS * 1000)
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, token.id));
    return {
      actor: {
        kind: "token",
        id: owner.id,
        role: token.role,
        scope: await scopeOfVersion(db, token.scopeVersionId),
        tokenId: token.id,
      },
    };
  }
  if (!credentials.cookie) return { actor: anonymous };
  const [session] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tokenHash, sha256(credentials.cookie)), isNull(sessions.endedAt)));
  const idleLimit = minutes(settings.idleMinutes);
  if (!session || session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > idleLimit) {
    if (session) await db.update(sessions).set({ endedAt: now }).where(eq(sessions.id, session.id));
    return { actor: anonymous, problem: sessionExpired() };
  }
  const actor = await actorForUser(db, session.userId, {
    csrfToken: session.csrfToken,
    sessionId: session.id,
  });
  if (!actor) return { actor: anonymous, problem: sessionExpired() };
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_SECONDS * 1000)
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, session.id));
  return { actor };
}

export interface SignInInput {
  username: string;
  password: string;
  address: string;
  userAgent: string | null;
  /** The session cookie the browser still had, ended at sign-in so a fixed session id cannot be carried over. */
  previousCookie?: string | undefined;
}

export interface SignInResult {
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
  userId: number;
}

async function throttleAddress(db: Db, address: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - minutes(ADDRESS_LIMIT.minutes));
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.address, address));
  if (row && row.windowStart > windowStart && row.failures >= ADDRESS_LIMIT.failures) {
    const retryAfter = Math.ceil(
      (row.windowStart.getTime() + minutes(ADDRESS_LIMIT.minutes) - now.getTime()) / 1000,
    );
    throw new AppError(
      429,
      "too_many_attempts",
      "Too many failed sign-ins from this address; try again later.",
      {
        retryAfterSeconds: retryAfter,
      },
    );
  }
}

async function recordAddressFailure(db: Db, address: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - minutes(ADDRESS_LIMIT.minutes));
  await db
    .insert(signInThrottle)
    .values({ address, failures: 1, windowStart: now })
    .onConflictDoUpdate({
      target: signInThrottle.address,
      set: {
        failures: sql`CASE WHEN ${signInThrottle.windowStart} <= ${windowStart.toISOString()}::timestamptz THEN 1 ELSE ${signInThrottle.failures} + 1 END`,
        windowStart: sql`CASE WHEN ${signInThrottle.windowStart} <= ${windowStart.toISOString()}::timestamptz THEN ${now.toISOString()}::timestamptz ELSE ${signInThrottle.windowStart} END`,
      },
    });
}

/**
 * Signs in with a name and password. Unknown name, wrong password and disabled account all answer the same 401
 * (and take the same time); repeated failures lock the account for a while, and an address for the window.
 */
export async function signIn(
  db: Db,
  settings: AuthSettings,
  requestId: string | null,
  input: SignInInput,
): Promise<SignInResult> {
  const now = settings.now();
  await throttleAddress(db, input.address, now);
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${input.username.trim()})`);
  if (!user) {
    await verifyPassword(await decoyPasswordHash(), input.password);
    await recordAddressFailure(db, input.address, now);
    throw invalidCredentials();
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await recordAddressFailure(db, input.address, now);
    throw new AppError(
      429,
      "account_locked",
      "Too many failed sign-ins; this account is locked for a while.",
      {
        retryAfterSeconds: Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000),
      },
    );
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  if (!ok || user.isDisabled) {
    if (!ok) {
      const failures = user.failedSignIns + 1;
      const lock = failures >= ACCOUNT_LOCK.failures;
      await db
        .update(users)
        .set({
          failedSignIns: lock ? 0 : failures,
          lockedUntil: lock ? new Date(now.getTime() + minutes(ACCOUNT_LOCK.minutes)) : user.lockedUntil,
        })
        .where(eq(users.id, user.id));
    }
    await recordAddressFailure(db, input.address, now);
    throw invalidCredentials();
  }
  const sessionToken = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + settings.maxHours * 3_600_000);
  const scope = await scopeOfVersion(db, user.scopeVersionId);
  const ctx: RequestContext = {
    actor: { kind: "user", id: String(user.id), role: user.role, scope },
    requestId,
  };
  await db.transaction(async (tx) => {
    if (input.previousCookie)
      await tx
        .update(sessions)
        .set({ endedAt: now })
        .where(eq(sessions.tokenHash, sha256(input.previousCookie)));
    await tx.update(users).set({ failedSignIns: 0, lockedUntil: null }).where(eq(users.id, user.id));
    const [session] = await tx
      .insert(sessions)
      .values({
        tokenHash: sha256(sessionToken),
        userId: user.id,
        csrfToken,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        address: input.address,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      })
      .returning({ id: sessions.id });
    await recordAudit(tx, ctx, {
      action: "auth.sign_in",
      recordKind: "session",
      recordId: session?.id ?? 0,
      unitCode: scope?.code ?? null,
      after: { userId: user.id, address: input.address, expiresAt: expiresAt.toISOString() },
    });
  });
  return { sessionToken, csrfToken, expiresAt, userId: user.id };
}

export async function signOut(db: Db, ctx: RequestContext, now: Date): Promise<void> {
  const actor = ctx.actor;
  if (actor.kind !== "user" || actor.sessionId === undefined)
    throw unauthorized("Only a browser session can sign out.");
  const sessionId = actor.sessionId;
  await db.transaction(async (tx) => {
    await tx.update(sessions).set({ endedAt: now }).where(eq(sessions.id, sessionId));
    await recordAudit(tx, ctx, {
      action: "auth.sign_out",
      recordKind: "session",
      recordId: sessionId,
      unitCode: actor.scope?.code ?? null,
      after: { endedAt: now.toISOString() },
    });
  });
}

/** Changes one's own password: the current one is required, the new one must be strong; other sessions end. */
export async function changePassword(
  db: Db,
  ctx: RequestContext,
  now: Date,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const actor = ctx.actor;
  if (actor.kind !== "user") throw unauthorized("Sign in with a password to change it.");
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.id, Number(actor.id)));
  if (!user) throw unauthorized();
  if (!(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw new AppError(400, "wrong_current_password", "The current password is not right.", {
      fields: [{ field: "currentPassword", message: "not right" }],
    });
  assertStrongPassword(input.newPassword, user.username);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now, version: sql`${users.version} + 1` })
      .where(eq(users.id, user.id));
    await tx
      .update(sessions)
      .set({ endedAt: now })
      .where(
        and(
          eq(sessions.userId, user.id),
          isNull(sessions.endedAt),
          sql`${sessions.id} <> ${actor.sessionId ?? 0}`,
        ),
      );
    await recordAudit(tx, ctx, {
      action: "users.change_password",
      recordKind: "user",
      recordId: user.id,
      unitCode: actor.scope?.code ?? null,
      before: { passwordChangedAt: user.passwordChangedAt.toISOString() },
      after: { passwordChangedAt: now.toISOString(), otherSessionsEnded: true },
    });
  });
}
