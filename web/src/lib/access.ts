import type { Role, UnitLevel, User } from "../api/types.ts";

/**
 * The browser's copy of the server's rules (src/modules/access/policies.ts), used only to hide what would be
 * refused anyway: the server decides, and the UI shows its answer when the two disagree.
 */
export const roles: readonly Role[] = [
  "system_admin",
  "province_admin",
  "province_officer",
  "commune_officer",
  "viewer",
];

/** Roles an administrator of each kind may give. */
export const grantableRoles: Record<Role, readonly Role[]> = {
  system_admin: roles,
  province_admin: ["province_officer", "commune_officer", "viewer"],
  province_officer: [],
  commune_officer: [],
  viewer: [],
};

/** The level of unit each role is scoped to; a system administrator has no unit. */
export const scopeLevels: Record<Role, readonly UnitLevel[]> = {
  system_admin: [],
  province_admin: ["province"],
  province_officer: ["province"],
  commune_officer: ["commune"],
  viewer: ["province", "commune", "village"],
};

export const canManageUsers = (user: Pick<User, "role"> | null | undefined): boolean =>
  user?.role === "system_admin" || user?.role === "province_admin";

export const canReadAudit = (user: Pick<User, "role"> | null | undefined): boolean =>
  user?.role === "system_admin" || user?.role === "province_admin" || user?.role === "province_officer";

export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

/** Where `next` may send the person after signing in: a path of this app, never another site ("//evil.example"). */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//")) return undefined;
  if (value.includes("\\") || value.startsWith("/sign-in")) return undefined;
  return value.slice(0, 500);
}
