import { queryOptions } from "@tanstack/react-query";
import { getJson, sendJson } from "./client.ts";
import type { CreatedUser, Role, User, UserList } from "./types.ts";

export const userKeys = {
  all: ["users"] as const,
  list: (q: string) => ["users", "list", q] as const,
};

/** Accounts in the signed-in administrator's scope, by sign-in name; `q` matches sign-in or display name. */
export function usersQuery(q: string) {
  return queryOptions({
    queryKey: userKeys.list(q),
    queryFn: ({ signal }) => getJson<UserList>("/users", { q }, signal),
    // Accounts change under other administrators' hands: fresher than units.
    staleTime: 30_000,
  });
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string | null;
  /** Left out: the server makes one and returns it once. */
  password?: string;
}

export function createUser(input: CreateUserInput): Promise<CreatedUser> {
  return sendJson<CreatedUser>("POST", "/users", input);
}

export interface UpdateUserInput {
  /** The version the form was opened on. */
  version: number;
  displayName?: string;
  role?: Role;
  scopeCode?: string | null;
  isDisabled?: boolean;
  unlock?: boolean;
  password?: string;
  reason?: string;
}

export function updateUser(id: number, input: UpdateUserInput): Promise<User> {
  return sendJson<User>("PATCH", `/users/${id}`, input);
}
