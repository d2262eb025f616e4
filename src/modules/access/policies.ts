import type { Actor, Role } from "./actor.ts";

const any = () => true;
const signedIn = (actor: Actor) => actor.kind === "user" || actor.kind === "token";
const roleIn =
  (...allowed: Role[]) =>
  (actor: Actor) =>
    actor.kind === "system" ||
    ((actor.kind === "user" || actor.kind === "token") && allowed.includes(actor.role));

/**
 * What each role may do, by action. Routes declare the action; operations then check the unit it touches against
 * the actor's scope (`assertUnitInScope`). Deny by default: an action not listed here is refused, and there is no
 * switch that skips the check — the CLI acts as the system actor through these same rules.
 */
const rules = {
  /** Administrative units are public reference information. */
  "units.read": any,
  /** Recording a merge, split, rename… changes everyone's map. */
  "units.change": roleIn("system_admin"),
  /** Declaring shares on partial lineage edges: the operation checks that the province holds every successor. */
  "units.shares": roleIn("system_admin", "province_admin"),
  "system.read": any,
  "auth.sign_in": any,
  /** Anyone signed in: their own session, password, tokens. */
  "auth.self": signedIn,
  "users.read": roleIn("system_admin", "province_admin"),
  "users.manage": roleIn("system_admin", "province_admin"),
  "audit.read": roleIn("system_admin", "province_admin", "province_officer"),
  /** The security log (failed sign-ins, refused requests): the administrators, each within their scope. */
  "security.read": roleIn("system_admin", "province_admin"),
  /** The indicator catalogue and report forms: read by anyone signed in, managed by the province. */
  "catalogue.read": signedIn,
  "catalogue.manage": roleIn("system_admin", "province_admin"),
  /** Reported figures: read within one's scope (checked by the operation). */
  "data.read": signedIn,
  /** Analytics over reported figures: read within one's scope, like data.read (the route checks each unit). */
  "analytics.read": signedIn,
  /** Saving views of analytics, shared within one's scope (the operation checks the unit and who may change a view). */
  "analytics.save": signedIn,
  /** Typing values: the commune's own officers. */
  "data.write": roleIn("system_admin", "commune_officer"),
  /** Submit/withdraw (reporters) and approve/return/unlock (approvers): the operation checks which. */
  "data.transition": roleIn("system_admin", "commune_officer", "province_officer", "province_admin"),
  /** One's own home page: what is due, from every module (each source reads within the reader's scope). */
  "home.read": signedIn,
  /** One's own notifications and e-mail choices. */
  "notifications.self": signedIn,
  /** Reminding the late communes of one's province (the operation checks the scope). */
  "reports.remind": roleIn("province_officer", "province_admin"),
  /** Standards, scorecards and targets: read by anyone signed in (evaluations within one's scope). */
  "standards.read": signedIn,
  /** Frameworks, thresholds, commune groups and targets: the province administrators (within their scope). */
  "standards.manage": roleIn("system_admin", "province_admin"),
  /** Working sessions: meetings, proposals and directions, read within one's scope (checked by the operation). */
  "sessions.read": signedIn,
  /** Recording meetings, answering proposals, issuing directions, deciding extensions: the province. */
  "sessions.manage": roleIn("system_admin", "province_admin", "province_officer"),
  /** Raising proposals, reporting progress, asking for more time: the unit concerned (checked by the operation). */
  "sessions.report": roleIn("system_admin", "province_admin", "province_officer", "commune_officer"),
  /** Which socio-economic region each province belongs to: national configuration, the system administrators. */
  "standards.configure": roleIn("system_admin"),
  /** Household files (names, members): officers within scope; viewers see counts only (personal data). */
  "households.read": roleIn("system_admin", "province_admin", "province_officer", "commune_officer"),
  /** Counts of households, poor and near-poor: anyone signed in, within scope. */
  "households.counts": signedIn,
  /** Registering households and members, deciding duplicates: the commune's officers. */
  "households.write": roleIn("system_admin", "commune_officer"),
  /** Exporting lists of named households (audited with the reason given). */
  "households.export": roleIn("system_admin", "province_admin", "province_officer", "commune_officer"),
  /** A province's own, stricter poverty standard. */
  "poverty.standards.manage": roleIn("system_admin", "province_admin"),
  /** The annual review: survey, village meeting result, submission and approval by the commune. */
  "poverty.review": roleIn("system_admin", "commune_officer"),
  /** Support programmes (province or commune) and their cycles. */
  "support.manage": roleIn("system_admin", "province_admin", "province_officer", "commune_officer"),
  /** Entitlement lists and deliveries: the commune's officers. */
  "support.distribute": roleIn("system_admin", "commune_officer"),
  /** Disaster events are recorded by the province (or a commune for its own area). */
  "disasters.manage": roleIn("system_admin", "province_admin", "province_officer", "commune_officer"),
} satisfies Record<string, (actor: Actor) => boolean>;

export type Action = keyof typeof rules;

export function can(actor: Actor, action: Action): boolean {
  const rule: ((a: Actor) => boolean) | undefined = rules[action];
  return rule ? rule(actor) : false;
}

/** Roles an administrator of each kind may give. */
export const grantableRoles: Record<Role, readonly Role[]> = {
  system_admin: ["system_admin", "province_admin", "province_officer", "commune_officer", "viewer"],
  province_admin: ["province_officer", "commune_officer", "viewer"],
  province_officer: [],
  commune_officer: [],
  viewer: [],
};

/** The level of unit each role is scoped to (viewer: any unit). */
export const scopeLevels: Record<
  Role,
  ReadonlyArray<"province" | "commune" | "village" | "district" | "none">
> = {
  system_admin: ["none"],
  province_admin: ["province"],
  province_officer: ["province"],
  commune_officer: ["commune"],
  viewer: ["province", "commune", "village"],
};
