import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import { authKeys, type Me, signOut } from "../../api/auth.ts";
import { handleSessionEnd, setCsrfToken } from "../../api/client.ts";
import type { AppRouter } from "../../router.tsx";

/**
 * Drops what one account was shown (accounts, tokens, audit) so that the next person on this browser never sees it.
 * Units are public and stay; so does the who-am-I answer, which the caller overwrites: a removed query would leave
 * the header watching a copy nobody updates.
 */
export function forgetAccountData(queryClient: QueryClient): void {
  queryClient.removeQueries({
    predicate: (query) => query.queryKey[0] !== "units" && query.queryKey[0] !== "auth",
  });
}

/**
 * When an API call finds the session gone (2 h idle, 12 h in all, or signed out in another tab), the person is
 * sent to sign in, and brought back to the page they were on afterwards.
 */
export function followSessionEnd(queryClient: QueryClient, router: AppRouter): void {
  handleSessionEnd((why) => {
    setCsrfToken(null);
    queryClient.setQueryData<Me>(authKeys.me, { user: null, isExpired: why === "session_expired" });
    sendToSignIn(router, why === "session_expired");
  });
}

/**
 * On to the sign-in page with the address to come back to. Once there, a second call (the header noticing the
 * same ended session) changes nothing: it would replace that address with the sign-in page's own.
 */
export function sendToSignIn(router: AppRouter, isExpired: boolean): void {
  const here = router.state.location;
  if (here.pathname === "/sign-in") return;
  void router.navigate({
    to: "/sign-in",
    search: { next: here.href, reason: isExpired ? "expired" : "required" },
    replace: true,
  });
}

/** Signs out, then shows the public units pages to whoever uses the browser next. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: signOut,
    // Only once the server has ended the session: after a failed request the browser would still be signed in.
    onSuccess: async () => {
      await router.navigate({ to: "/units" });
      forgetAccountData(queryClient);
      queryClient.setQueryData<Me>(authKeys.me, { user: null, isExpired: false });
      // The offline shell keeps the account's API answers for use without a connection (web/vite.config.ts): on a
      // shared computer they go with the session.
      await globalThis.caches?.delete("grassroots-api").catch(() => false);
    },
  });
}
