import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../http/context.ts";
import { unauthorized } from "../../http/errors.ts";
import { clientAddress, isSecureRequest } from "../../http/request-info.ts";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import { roles } from "./actor.ts";
import { changePassword, SESSION_COOKIE, signIn, signOut } from "./auth.ts";
import { presentScope } from "./presenters.ts";
import { listSecurityEvents, type SecurityEventKind, securityEventKinds } from "./security-log.ts";
import { createToken, createTokenInput, listTokens, revokeToken, tokenSummary } from "./tokens.ts";
import { createUser, createUserInput, getUser, listUsers, updateUser, updateUserInput } from "./users.ts";

const scopeView = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.string(),
    isCurrent: z.boolean(),
    validTo: z.string().nullable(),
  })
  .openapi("Scope");
const userView = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(roles as ["system_admin", ...Array<(typeof roles)[number]>]),
    scope: scopeView.nullable(),
    needsRescope: z
      .boolean()
      .openapi({ description: "The account's unit was merged away: give it a current unit" }),
    isDisabled: z.boolean(),
    lockedUntil: z.string().nullable(),
    createdAt: z.string(),
    version: z.number().int(),
  })
  .openapi("User");
const tokenView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string(),
    role: z.string(),
    scope: scopeView.nullable(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiToken");
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const idParam = z.object({ id: z.coerce.number().int().min(1).openapi({ example: 1 }) });
const ctxOf = (c: Context<AppEnv>) => ({ actor: c.get("actor"), requestId: c.get("requestId") });
const now = (c: Context<AppEnv>) => c.get("deps").auth.now();

const signInRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/auth/sign-in",
  policy: "auth.sign_in",
  tags: ["Accounts"],
  summary: "Sign in; sets the session cookie and returns the CSRF token writes must send as x-csrf-token",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            username: safeText().trim().min(1).max(64),
            password: safeText().min(1).max(200),
          }),
        },
      },
    },
  },
  responses: {
    200: json(z.object({ user: userView, csrfToken: z.string() }), "Signed in"),
    400: errorResponses[400],
    401: json(errorSchema, "Wrong sign-in name or password (the same answer for both)"),
    429: json(errorSchema, "Too many failed attempts; details.retryAfterSeconds"),
  },
});

const signOutRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/auth/sign-out",
  policy: "auth.self",
  tags: ["Accounts"],
  summary: "Sign out: ends the session",
  responses: { 204: { description: "Signed out" }, 401: errorResponses[401], 403: errorResponses[403] },
});

const meRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/auth/me",
  policy: "auth.self",
  tags: ["Accounts"],
  summary: "Who is signed in, with the CSRF token of the session",
  responses: {
    200: json(
      z.object({
        user: userView,
        csrfToken: z.string().nullable(),
        token: z.object({ id: z.number().int(), name: z.string(), prefix: z.string() }).optional().openapi({
          description:
            "Signed in with an API token: which one; user.role and user.scope are then the token's own",
        }),
      }),
      "The signed-in account",
    ),
    401: json(errorSchema, "Not signed in, or the session ended (code session_expired)"),
  },
});

const passwordRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/auth/password",
  policy: "auth.self",
  tags: ["Accounts"],
  summary: "Change one's own password (other sessions end)",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            currentPassword: safeText().min(1).max(200),
            newPassword: safeText().min(1).max(200),
          }),
        },
      },
    },
  },
  responses: { 204: { description: "Changed" }, ...errorResponses },
});

const listUsersRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/users",
  policy: "users.read",
  tags: ["Accounts"],
  summary: "Accounts in the caller's scope",
  request: { query: z.object({ q: safeText().trim().max(100).optional() }) },
  responses: { 200: json(z.object({ items: z.array(userView) }), "Accounts"), ...errorResponses },
});

const createUserRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/users",
  policy: "users.manage",
  tags: ["Accounts"],
  summary: "Create an account scoped to a unit within the caller's scope",
  request: { body: { required: true, content: { "application/json": { schema: createUserInput } } } },
  responses: {
    201: json(
      z.object({ user: userView, initialPassword: z.string().optional() }),
      "Created; a generated password is shown once",
    ),
    ...errorResponses,
    409: json(errorSchema, "The sign-in name is taken"),
    422: json(errorSchema, "The scope unit is not valid today"),
  },
});

const getUserRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/users/{id}",
  policy: "users.read",
  tags: ["Accounts"],
  summary: "One account (404 outside the caller's scope)",
  request: { params: idParam },
  responses: { 200: json(userView, "The account"), ...errorResponses },
});

const updateUserRoute = defineRoute(apiBasePath, {
  method: "patch",
  path: "/users/{id}",
  policy: "users.manage",
  tags: ["Accounts"],
  summary: "Rename, re-scope, change role, disable or enable, unlock, or set a new password",
  request: {
    params: idParam,
    body: { required: true, content: { "application/json": { schema: updateUserInput } } },
  },
  responses: {
    200: json(userView, "The account as it is now"),
    ...errorResponses,
    409: json(errorSchema, "Changed by someone else since `version`; details.current holds it"),
  },
});

const listTokensRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/tokens",
  policy: "auth.self",
  tags: ["Accounts"],
  summary: "The caller's API tokens",
  responses: { 200: json(z.object({ items: z.array(tokenView) }), "Tokens"), ...errorResponses },
});

const createTokenRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/tokens",
  policy: "auth.self",
  tags: ["Accounts"],
  summary: "Create an API token (the secret is shown once); send it as Authorization: Bearer",
  request: { body: { required: true, content: { "application/json": { schema: createTokenInput } } } },
  responses: { 201: json(z.object({ token: tokenView, secret: z.string() }), "Created"), ...errorResponses },
});

const revokeTokenRoute = defineRoute(apiBasePath, {
  method: "delete",
  path: "/tokens/{id}",
  policy: "auth.self",
  tags: ["Accounts"],
  summary: "Revoke an API token",
  request: { params: idParam },
  responses: { 200: json(tokenView, "Revoked"), ...errorResponses },
});

const securityEventView = z
  .object({
    id: z.number().int(),
    at: z.string(),
    kind: z.enum(securityEventKinds as [SecurityEventKind, ...SecurityEventKind[]]),
    code: z.string().openapi({ description: "The error code the request was answered with" }),
    actor: z.object({ kind: z.string(), id: z.string().nullable(), username: z.string().nullable() }),
    username: z.string().nullable().openapi({ description: "The sign-in name tried (never the password)" }),
    address: z.string().nullable(),
    method: z.string().nullable(),
    path: z.string().nullable(),
    unitCode: z.string().nullable(),
    scopeCode: z.string().nullable(),
    requestId: z.string().nullable(),
    detail: z.unknown(),
  })
  .openapi("SecurityEvent");

const listSecurityRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/security-events",
  policy: "security.read",
  tags: ["Accounts"],
  summary:
    "The security log in the caller's scope, newest first: failed sign-ins, refused credentials and requests",
  request: {
    query: z.object({
      kind: z.enum(securityEventKinds as [SecurityEventKind, ...SecurityEventKind[]]).optional(),
      from: z.iso.date().optional(),
      to: z.iso.date().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    }),
  },
  responses: {
    200: json(z.object({ total: z.number().int(), items: z.array(securityEventView) }), "Security events"),
    ...errorResponses,
  },
});

export function accessRoutes() {
  const app = createRouter();
  app.openapi(signInRoute, async (c) => {
    const body = c.req.valid("json");
    const deps = c.get("deps");
    const result = await signIn(
      deps.db,
      deps.auth,
      c.get("requestId"),
      {
        ...body,
        address: clientAddress(c),
        userAgent: c.req.header("user-agent") ?? null,
        previousCookie: c.req.header("cookie")?.match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1],
      },
      deps.securityLogDays,
    );
    setCookie(c, SESSION_COOKIE, result.sessionToken, {
      httpOnly: true,
      sameSite: "Lax",
      secure: isSecureRequest(c),
      path: "/",
      expires: result.expiresAt,
    });
    const user = await getUser(
      deps.db,
      { actor: { kind: "system", id: "sign-in" }, requestId: null },
      now(c),
      result.userId,
    );
    return c.json({ user, csrfToken: result.csrfToken }, 200);
  });
  app.openapi(signOutRoute, async (c) => {
    await signOut(c.get("deps").db, ctxOf(c), now(c));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  });
  app.openapi(meRoute, async (c) => {
    const actor = c.get("actor");
    if (actor.kind !== "user" && actor.kind !== "token") throw unauthorized();
    const db = c.get("deps").db;
    const user = await getUser(
      db,
      { actor: { kind: "system", id: "me" }, requestId: null },
      now(c),
      Number(actor.id),
    );
    if (actor.kind === "token" && actor.tokenId !== undefined) {
      // What the token may do, not what its maker may: its own role and scope, narrowed by the maker's current ones.
      const token = await tokenSummary(db, actor.tokenId);
      return c.json(
        {
          user: { ...user, role: actor.role, scope: presentScope(actor.scope), needsRescope: false },
          csrfToken: null,
          ...(token ? { token } : {}),
        },
        200,
      );
    }
    return c.json({ user, csrfToken: actor.kind === "user" ? (actor.csrfToken ?? null) : null }, 200);
  });
  app.openapi(passwordRoute, async (c) => {
    await changePassword(c.get("deps").db, ctxOf(c), now(c), c.req.valid("json"));
    return c.body(null, 204);
  });
  app.openapi(listUsersRoute, async (c) =>
    c.json({ items: await listUsers(c.get("deps").db, ctxOf(c), now(c), c.req.valid("query")) }, 200),
  );
  app.openapi(createUserRoute, async (c) =>
    c.json(await createUser(c.get("deps").db, ctxOf(c), now(c), c.req.valid("json")), 201),
  );
  app.openapi(getUserRoute, async (c) =>
    c.json(await getUser(c.get("deps").db, ctxOf(c), now(c), c.req.valid("param").id), 200),
  );
  app.openapi(updateUserRoute, async (c) =>
    c.json(
      await updateUser(c.get("deps").db, ctxOf(c), now(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(listTokensRoute, async (c) =>
    c.json({ items: await listTokens(c.get("deps").db, ctxOf(c)) }, 200),
  );
  app.openapi(createTokenRoute, async (c) =>
    c.json(await createToken(c.get("deps").db, ctxOf(c), now(c), c.req.valid("json")), 201),
  );
  app.openapi(revokeTokenRoute, async (c) =>
    c.json(await revokeToken(c.get("deps").db, ctxOf(c), now(c), c.req.valid("param").id), 200),
  );
  app.openapi(listSecurityRoute, async (c) =>
    c.json(await listSecurityEvents(c.get("deps").db, ctxOf(c), c.req.valid("query")), 200),
  );
  return app;
}
