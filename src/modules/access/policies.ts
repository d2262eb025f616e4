import type { Actor } from "./actor.ts";

/**
 * The actions routes can declare, each with who may do it. Deny by default: an action not listed here is refused,
 * and there is no switch that skips the check.
 */
const rules = {
  /** Administrative units are public reference information. */
  "units.read": () => true,
  /** Recording a merge, split, rename… changes everyone's map: system administrators (and the CLI) only. */
  "units.change": (actor: Actor) => actor.kind === "system" || hasRole(actor, "system_admin"),
  /** Health and the API description. */
  "system.read": () => true,
} satisfies Record<string, (actor: Actor) => boolean>;

export type Action = keyof typeof rules;

function hasRole(actor: Actor, role: string): boolean {
  return (actor.kind === "user" || actor.kind === "token") && actor.role === role;
}

export function can(actor: Actor, action: Action): boolean {
  const rule: ((a: Actor) => boolean) | undefined = rules[action];
  return rule ? rule(actor) : false;
}
