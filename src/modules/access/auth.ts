import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError, unauthorized } from "../../http/errors.ts";
import { recordAudit } from "../audit/record.ts";
import { todayInVietnam } from "../units/text.ts";
import { type Actor, anonymous, type RequestContext, type Role, type Scope, type SignedIn } from "./actor.ts";
import { assertStrongPassword, decoyPasswordHash, hashPassword, verifyPassword } from "./passwords.ts";
import { grantableRoles, scopeLevels } from "./policies.ts";
import { apiTokens, sessions, signInNames, signInThrottle, users } from "./schema.ts";
import { coversUnit, type ScopeRow, scopeOfVersion, toScope } from "./scope.ts";
import { recordSecurityEvent } from "./security-log.ts";

export const SESSION_COOKIE = "gr_session";
export const TOKEN_PREFIX = "grt_";

export interface AuthSettings {
  /** A session unused this long ends. */
  idleMinutes: number;
  /** A session ends this long after sign-in, used or not. */
  maxHours: number;
  now: () => Date;
}

/**
 * Sign-in backoff per name (whether an account has it or not, so a slowed name answers exactly like an unknown one).
 * After `freeFailures` failures in a row, each address must wait before its next attempt on that name, twice as long
 * after each further failure, up to `maxDelaySeconds`. The wait is counted from that address's own last attempt: the
 * owner, trying from a browser that has not been guessing, is looked at at once, so a guesser slows only themselves.
 * Failures are forgotten `forgetHours` after the last one, and at a successful sign-in.
 */
export const NAME_BACKOFF = { freeFailures: 4, maxDelaySeconds: 60, forgetHours: 24 };
/** Attempts from one address within the window; at the limit the address is refused for the rest of the window. */
export const ADDRESS_LIMIT = { failures: 20, minutes: 15 };
/** Bookkeeping writes (last seen, last used) at most this often per session or token. */
const TOUCH_SECONDS = 60;

export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const minutes = (n: number) => n * 60_000;

/** The wait before the next attempt on a name after `failures` failures in a row, in seconds (0: none). */
export function backoffSeconds(failures: number): number {
  if (failures <= NAME_BACKOFF.freeFailures) return 0;
  return Math.min(NAME_BACKOFF.maxDelaySeconds, 2 ** (failures - NAME_BACKOFF.freeFailures));
}

const invalidCredentials = () =>
  new AppError(401, "invalid_credentials", {
    vi: "Sai tên đăng nhập hoặc mật khẩu.",
    en: "Wrong sign-in name or password.",
  });
const sessionExpired = () =>
  new AppError(401, "session_expired", {
    vi: "Phiên làm việc đã kết thúc; hãy đăng nhập lại.",
    en: "Your session has ended; sign in again.",
  });
const invalidToken = (why: "unknown" | "disabled" | "out_of_scope") =>
  new AppError(
    401,
    "invalid_token",
    why === "unknown"
      ? {
          vi: "Mã truy cập API không tồn tại, đã bị thu hồi hoặc đã hết hạn.",
          en: "The API token is unknown, revoked or expired.",
        }
      : why === "disabled"
        ? { vi: "Tài khoản tạo mã truy cập này đã bị khoá.", en: "The token's account is disabled." }
        : {
            vi: "Mã truy cập này nằm ngoài phạm vi hiện nay của người đã tạo nó.",
            en: "The token lies outside the current scope of the account that made it.",
          },
  );

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

/**
 * What a token may do today: never more than its own role and scope, and never more than its maker's *current* role
 * and scope (a demoted or re-scoped maker takes its tokens down with it, at the next request). The narrower of the two
 * scopes when one holds the other; none (the token is refused) when they are apart. The weaker role when one can be
 * given by the other; a viewer when neither can (a commune officer's token of a now province officer). A role that is
 * not valid at the resulting scope's level falls back to viewer.
 */
export async function tokenPowers(
  db: Db,
  token: { role: Role; scope: Scope | null },
  maker: { role: Role; scope: Scope | null },
): Promise<{ role: Role; scope: Scope | null } | null> {
  let scope: Scope | null;
  if (token.scope && maker.scope && token.scope.versionId === maker.scope.versionId) scope = token.scope;
  else if (token.scope === null) scope = maker.scope;
  else if (maker.scope === null) scope = maker.role === "system_admin" ? token.scope : null;
  else if (await coversUnit(db, { ...maker, kind: "user", id: "maker" }, token.scope.code))
    scope = token.scope;
  else if (await coversUnit(db, { ...token, kind: "user", id: "token" }, maker.scope.code))
    scope = maker.scope;
  else return null;
  if (scope === null && (token.role !== "system_admin" || maker.role !== "system_admin")) return null;
  let role: Role;
  if (token.role === maker.role || grantableRoles[maker.role].includes(token.role)) role = token.role;
  else if (grantableRoles[token.role].includes(maker.role)) role = maker.role;
  else role = "viewer";
  if (scope !== null && !scopeLevels[role].includes(scope.level)) role = "viewer";
  if (scope !== null && !scopeLevels[role].includes(scope.level)) return null;
  return { role, scope };
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
      return { actor: anonymous, problem: invalidToken("unknown") };
    const maker = await actorForUser(db, token.userId, {});
    if (!maker) return { actor: anonymous, problem: invalidToken("disabled") };
    const powers = await tokenPowers(
      db,
      { role: token.role, scope: await scopeOfVersion(db, token.scopeVersionId) },
      maker,
    );
    if (!powers) return { actor: anonymous, problem: invalidToken("out_of_scope") };
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > TOUCH_SECONDS * 1000)
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, token.id));
    return {
      actor: { kind: "token", id: maker.id, role: powers.role, scope: powers.scope, tokenId: token.id },
    };
  }
  if (!credentials.cookie) return { actor: anonymous };
  // Every request of a browser asks this: the session, its account and the account's scope in one round trip.
  const [row] = rowsOf<
    ScopeRow & {
      session_id: number | string;
      user_id: number | string;
      csrf_token: string;
      expires_at: Date | string;
      last_seen_at: Date | string;
      role: Role;
      is_disabled: boolean;
    }
  >(
    await db.execute(sql`
      SELECT s.id AS session_id, s.user_id, s.csrf_token, s.expires_at, s.last_seen_at, u.role, u.is_disabled,
        v.id, v.code, v.name, v.level, v.valid_to::text AS valid_to
      FROM sessions s
      JOIN users u ON u.id = s.user_id
      LEFT JOIN unit_versions v ON v.id = u.scope_version_id
      WHERE s.token_hash = ${sha256(credentials.cookie)} AND s.ended_at IS NULL`),
  );
  const idleLimit = minutes(settings.idleMinutes);
  const sessionId = row ? Number(row.session_id) : 0;
  const lastSeenAt = row ? new Date(row.last_seen_at) : now;
  if (!row || new Date(row.expires_at) <= now || now.getTime() - lastSeenAt.getTime() > idleLimit) {
    if (row) await db.update(sessions).set({ endedAt: now }).where(eq(sessions.id, sessionId));
    return { actor: anonymous, problem: sessionExpired() };
  }
  if (row.is_disabled) return { actor: anonymous, problem: sessionExpired() };
  const actor: SignedIn = {
    kind: "user",
    id: String(row.user_id),
    role: row.role,
    scope: row.id === null || row.id === undefined ? null : toScope(row, todayInVietnam()),
    csrfToken: row.csrf_token,
    sessionId,
  };
  if (now.getTime() - lastSeenAt.getTime() > TOUCH_SECONDS * 1000)
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId));
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

const nameKey = (name: string) => `n:${name}`;
const pairKey = (name: string, address: string) => `p:${name}|${address}`;

type Reservation =
  | { ok: true; nameFailures: number }
  | { ok: false; retryAfterSeconds: number; by: "name" | "address" };

/**
 * Counts an attempt before any password is looked at, in one transaction on locked rows, so that parallel guesses
 * are counted one after the other: the name's failures, this address's wait on the name, the address's attempts in
 * its window. The attempt is counted as a failure until it succeeds. A refused attempt is not counted.
 */
async function reserveAttempt(db: Db, name: string, address: string, now: Date): Promise<Reservation> {
  const forgetBefore = new Date(now.getTime() - NAME_BACKOFF.forgetHours * 3_600_000);
  const windowStart = new Date(now.getTime() - minutes(ADDRESS_LIMIT.minutes));
  return db.transaction(async (tx) => {
    const keys = [nameKey(name), pairKey(name, address)].sort();
    await tx
      .insert(signInNames)
      .values(keys.map((k) => ({ name: k, failures: 0, lastFailureAt: now })))
      .onConflictDoNothing();
    await tx.insert(signInThrottle).values({ address, failures: 0, windowStart: now }).onConflictDoNothing();
    const locked = rowsOf<{
      name: string;
      failures: number;
      not_before: Date | string | null;
      last_failure_at: Date | string;
    }>(
      await tx.execute(
        sql`SELECT name, failures, not_before, last_failure_at FROM sign_in_names WHERE name IN (${keys[0]}, ${keys[1]}) ORDER BY name FOR UPDATE`,
      ),
    );
    const [addressRow] = rowsOf<{ failures: number; window_start: Date | string }>(
      await tx.execute(
        sql`SELECT failures, window_start FROM sign_in_throttle WHERE address = ${address} FOR UPDATE`,
      ),
    );
    const global = locked.find((r) => r.name === nameKey(name));
    const pair = locked.find((r) => r.name === pairKey(name, address));
    const addressWindow = addressRow ? new Date(addressRow.window_start) : now;
    const addressFresh = addressWindow <= windowStart;
    if (addressRow && !addressFresh && addressRow.failures >= ADDRESS_LIMIT.failures)
      return {
        ok: false,
        by: "address",
        retryAfterSeconds: Math.ceil(
          (addressWindow.getTime() + minutes(ADDRESS_LIMIT.minutes) - now.getTime()) / 1000,
        ),
      };
    const pairNotBefore = pair?.not_before ? new Date(pair.not_before) : null;
    if (pairNotBefore && pairNotBefore > now)
      return {
        ok: false,
        by: "name",
        retryAfterSeconds: Math.ceil((pairNotBefore.getTime() - now.getTime()) / 1000),
      };
    const stale = !global || new Date(global.last_failure_at) < forgetBefore;
    const failures = (stale ? 0 : Number(global.failures)) + 1;
    const wait = backoffSeconds(failures);
    await tx
      .update(signInNames)
      .set({ failures, lastFailureAt: now })
      .where(eq(signInNames.name, nameKey(name)));
    await tx
      .update(signInNames)
      .set({
        failures: 1,
        notBefore: wait ? new Date(now.getTime() + wait * 1000) : null,
        lastFailureAt: now,
      })
      .where(eq(signInNames.name, pairKey(name, address)));
    await tx
      .update(signInThrottle)
      .set(
        addressFresh ? { failures: 1, windowStart: now } : { failures: sql`${signInThrottle.failures} + 1` },
      )
      .where(eq(signInThrottle.address, address));
    return { ok: true, nameFailures: failures };
  });
}

/** A successful sign-in forgets the name's failures and gives the address its attempt back. */
async function settleSuccess(tx: DbOrTx, name: string, address: string): Promise<void> {
  await tx
    .delete(signInNames)
    .where(sql`${signInNames.name} = ${nameKey(name)} OR starts_with(${signInNames.name}, ${`p:${name}|`})`);
  await tx
    .update(signInThrottle)
    .set({ failures: sql`greatest(${signInThrottle.failures} - 1, 0)` })
    .where(eq(signInThrottle.address, address));
}

/** Lifts the sign-in wait of a name (an administrator's "unlock"). */
export async function forgetSignInFailures(tx: DbOrTx, username: string): Promise<void> {
  const name = username.trim().toLowerCase();
  await tx
    .delete(signInNames)
    .where(sql`${signInNames.name} = ${nameKey(name)} OR starts_with(${signInNames.name}, ${`p:${name}|`})`);
}

/**
 * Signs in with a name and password. Unknown name, wrong password and disabled account all answer the same 401 after
 * the same argon2 work; a name or an address in its wait answers the same 429 whether an account has the name or not.
 * Every refusal goes to the security log, with the name tried and never the password.
 */
export async function signIn(
  db: Db,
  settings: AuthSettings,
  requestId: string | null,
  input: SignInInput,
  retentionDays?: number,
): Promise<SignInResult> {
  const now = settings.now();
  const name = input.username.trim().toLowerCase();
  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = ${name}`);
  const scope = user ? await scopeOfVersion(db, user.scopeVersionId) : null;
  const log = (kind: "sign_in_failed" | "sign_in_throttled", code: string, detail: Record<string, unknown>) =>
    recordSecurityEvent(
      db,
      now,
      {
        kind,
        code,
        actor: anonymous,
        username: input.username.trim(),
        address: input.address,
        method: "POST",
        path: "/api/v1/auth/sign-in",
        scopeCode: scope?.code ?? null,
        requestId,
        detail: { ...detail, accountExists: Boolean(user) },
      },
      retentionDays,
    );
  const reservation = await reserveAttempt(db, name, input.address, now);
  if (!reservation.ok) {
    await log("sign_in_throttled", "too_many_attempts", { by: reservation.by });
    throw new AppError(
      429,
      "too_many_attempts",
      {
        vi: "Đăng nhập sai quá nhiều lần; hãy chờ một lát rồi thử lại.",
        en: "Too many failed sign-ins; wait a moment and try again.",
      },
      { retryAfterSeconds: reservation.retryAfterSeconds },
    );
  }
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password);
  if (!user || !ok || user.isDisabled) {
    const wait = backoffSeconds(reservation.nameFailures);
    if (user && wait > 0)
      await db
        .update(users)
        .set({ lockedUntil: new Date(now.getTime() + wait * 1000), failedSignIns: reservation.nameFailures })
        .where(eq(users.id, user.id));
    await log("sign_in_failed", "invalid_credentials", {
      reason: !user ? "unknown_name" : !ok ? "wrong_password" : "disabled",
      failures: reservation.nameFailures,
    });
    throw invalidCredentials();
  }
  const sessionToken = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + settings.maxHours * 3_600_000);
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
    await settleSuccess(tx, name, input.address);
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
    throw unauthorized({
      vi: "Chỉ phiên đăng nhập trên trình duyệt mới đăng xuất được.",
      en: "Only a browser session can sign out.",
    });
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
  if (actor.kind !== "user")
    throw unauthorized({
      vi: "Hãy đăng nhập bằng mật khẩu để đổi mật khẩu.",
      en: "Sign in with a password to change it.",
    });
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.id, Number(actor.id)));
  if (!user) throw unauthorized();
  if (!(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw new AppError(
      400,
      "wrong_current_password",
      { vi: "Mật khẩu hiện tại không đúng.", en: "The current password is not right." },
      { fields: [{ field: "currentPassword", message: "not right" }] },
    );
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
