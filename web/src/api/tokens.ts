import { queryOptions } from "@tanstack/react-query";
import { getJson, sendJson } from "./client.ts";
import type { ApiToken, CreatedToken, TokenList } from "./types.ts";

export const tokenKeys = {
  all: ["tokens"] as const,
};

/** The signed-in person's own API tokens, newest first, revoked ones included. */
export function tokensQuery() {
  return queryOptions({
    queryKey: tokenKeys.all,
    queryFn: ({ signal }) => getJson<TokenList>("/tokens", {}, signal),
    staleTime: 30_000,
  });
}

export function createToken(input: { name: string; expiresInDays?: number }): Promise<CreatedToken> {
  return sendJson<CreatedToken>("POST", "/tokens", input);
}

export function revokeToken(id: number): Promise<ApiToken> {
  return sendJson<ApiToken>("DELETE", `/tokens/${id}`);
}
