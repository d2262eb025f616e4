import type { Role, Scope } from "./actor.ts";

export interface ScopeView {
  code: string;
  name: string;
  level: Scope["level"];
  /** false: the unit was merged away or otherwise ended; the account must be re-scoped. */
  isCurrent: boolean;
  validTo: string | null;
}

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  scope: ScopeView | null;
  needsRescope: boolean;
  isDisabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
  version: number;
}

export interface TokenView {
  id: number;
  name: string;
  prefix: string;
  role: Role;
  scope: ScopeView | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function presentScope(scope: Scope | null): ScopeView | null {
  return scope
    ? {
        code: scope.code,
        name: scope.name,
        level: scope.level,
        isCurrent: scope.isCurrent,
        validTo: scope.validTo,
      }
    : null;
}

export function presentUser(
  user: {
    id: number;
    username: string;
    displayName: string;
    role: Role;
    isDisabled: boolean;
    lockedUntil: Date | null;
    createdAt: Date;
    version: number;
  },
  scope: Scope | null,
  now: Date,
): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    scope: presentScope(scope),
    needsRescope: scope !== null && !scope.isCurrent,
    isDisabled: user.isDisabled,
    lockedUntil: user.lockedUntil && user.lockedUntil > now ? user.lockedUntil.toISOString() : null,
    createdAt: user.createdAt.toISOString(),
    version: user.version,
  };
}

export function presentToken(
  token: {
    id: number;
    name: string;
    prefix: string;
    role: Role;
    createdAt: Date;
    expiresAt: Date | null;
    lastUsedAt: Date | null;
    revokedAt: Date | null;
  },
  scope: Scope | null,
): TokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    role: token.role,
    scope: presentScope(scope),
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}
