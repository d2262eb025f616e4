import { queryOptions } from "@tanstack/react-query";
import { ApiError, getJson, sendJson, setCsrfToken } from "./client.ts";
import type { SessionInfo, User } from "./types.ts";

/** Who is signed in on this browser: the user, or nobody (`isExpired`: there was a session and it ended). */
export type Me = { user: User; isExpired?: false } | { user: null; isExpired: boolean };

export const authKeys = {
  me: ["auth", "me"] as const,
};

/**
 * The who-am-I check. A 401 is an answer here, not an error: nobody is signed in. It also picks up the session's
 * CSRF token, which every later write sends.
 */
export function meQuery() {
  return queryOptions({
    queryKey: authKeys.me,
    queryFn: async ({ signal }): Promise<Me> => {
      try {
        const me = await getJson<SessionInfo>("/auth/me", {}, signal, { isSessionCheck: true });
        setCsrfToken(me.csrfToken);
        return { user: me.user };
      } catch (err: unknown) {
        if (!(err instanceof ApiError) || err.status !== 401) throw err;
        setCsrfToken(null);
        return { user: null, isExpired: err.code === "session_expired" };
      }
    },
    // Re-checked when the person comes back to the tab: a session may have ended meanwhile (2 h idle, 12 h in all).
    staleTime: 60_000,
    refetchOnWindowFocus: true,
  });
}

export async function signIn(input: { username: string; password: string }): Promise<User> {
  const session = await sendJson<SessionInfo>("POST", "/auth/sign-in", input, { isSessionCheck: true });
  setCsrfToken(session.csrfToken);
  return session.user;
}

export async function signOut(): Promise<void> {
  try {
    await sendJson("POST", "/auth/sign-out", undefined, { isSessionCheck: true });
  } catch (err: unknown) {
    // Already ended on the server (expired, or signed out in another tab): the person is signed out either way.
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
  } finally {
    setCsrfToken(null);
  }
}

export function changePassword(input: { currentPassword: string; newPassword: string }): Promise<void> {
  return sendJson("POST", "/auth/password", input);
}
