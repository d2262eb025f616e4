/** Who is acting. Routes resolve it from the request; the CLI and jobs act as the system actor. */
export type Actor =
  | { kind: "anonymous" }
  | { kind: "system"; id: string }
  | {
      kind: "user" | "token";
      /** The user's id (for a token, the id of the user who made it). */
      id: string;
      role: Role;
      /** null for a system administrator, whose scope is everything. */
      scope: Scope | null;
      /** Cookie sessions only: the token a write must echo in the x-csrf-token header. */
      csrfToken?: string;
      sessionId?: number;
      tokenId?: number;
    };

export type Role = "system_admin" | "province_admin" | "province_officer" | "commune_officer" | "viewer";
export const roles: readonly Role[] = [
  "system_admin",
  "province_admin",
  "province_officer",
  "commune_officer",
  "viewer",
];

/** The unit version an account is scoped to. `isCurrent` false: that unit has been merged away; re-scope needed. */
export interface Scope {
  versionId: number;
  code: string;
  name: string;
  level: "province" | "district" | "commune" | "village";
  validTo: string | null;
  isCurrent: boolean;
}

export const anonymous: Actor = { kind: "anonymous" };
export const systemActor = (id = "cli"): Actor => ({ kind: "system", id });

/** Everything an operation needs to know about the request it serves. */
export interface RequestContext {
  actor: Actor;
  requestId: string | null;
}

export type SignedIn = Extract<Actor, { kind: "user" | "token" }>;
export const isSignedIn = (actor: Actor): actor is SignedIn =>
  actor.kind === "user" || actor.kind === "token";
