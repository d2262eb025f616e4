/** Who is acting. Routes resolve it from the request; the CLI and jobs act as the system actor. */
export type Actor =
  | { kind: "anonymous" }
  | { kind: "system"; id: string }
  | { kind: "user" | "token"; id: string; role: Role; scopeCode: string | null };

export type Role = "system_admin" | "province_admin" | "province_officer" | "commune_officer" | "viewer";

export const anonymous: Actor = { kind: "anonymous" };
export const systemActor = (id = "cli"): Actor => ({ kind: "system", id });

/** Everything an operation needs to know about the request it serves. */
export interface RequestContext {
  actor: Actor;
  requestId: string | null;
}
