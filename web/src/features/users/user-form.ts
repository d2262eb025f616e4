import type { TFunction } from "i18next";
import { ApiError, fieldErrors } from "../../api/client.ts";
import type { AccountScope, Role, User } from "../../api/types.ts";
import type { PickedUnit } from "../../components/unit-picker.tsx";
import { grantableRoles, scopeLevels } from "../../lib/access.ts";

export type UserField = "username" | "displayName" | "role" | "scope" | "password";
export type FieldErrors = Partial<Record<UserField, string>>;

/** What a refused create or update means for the form: errors next to fields, or a message above them. */
export interface FormProblem {
  fields: FieldErrors;
  /** A refusal that is about no one field (role not grantable, unit outside scope). */
  isForbidden: boolean;
  /** Neither: shown as the server said it. */
  other: unknown;
}

const serverField: Record<string, UserField> = {
  username: "username",
  displayName: "displayName",
  role: "role",
  scopeCode: "scope",
  password: "password",
};

export function readProblem(
  error: unknown,
  t: TFunction,
  weakPasswordText: (error: unknown) => string | null,
): FormProblem {
  const none: FormProblem = { fields: {}, isForbidden: false, other: null };
  if (!(error instanceof ApiError)) return { ...none, other: error };
  switch (error.code) {
    case "username_taken":
      return { ...none, fields: { username: t("userForm.usernameTaken") } };
    case "unit_not_current":
      return { ...none, fields: { scope: t("userForm.scopeNotCurrent") } };
    case "weak_password":
      return { ...none, fields: { password: weakPasswordText(error) ?? error.message } };
    case "forbidden":
      return { ...none, isForbidden: true };
    case "invalid_input": {
      const fields: FieldErrors = {};
      for (const { field } of fieldErrors(error)) {
        const key = serverField[field];
        if (key === "username") fields.username = t("userForm.usernameInvalid");
        else if (key === "scope") fields.scope = t("userForm.scopeWrongLevel");
        else if (key) fields[key] = t("common.required");
      }
      return Object.keys(fields).length > 0 ? { ...none, fields } : { ...none, other: error };
    }
    default:
      return { ...none, other: error };
  }
}

/** The roles this administrator may give, in the server's order. */
export const rolesGrantableBy = (me: Pick<User, "role">): readonly Role[] => grantableRoles[me.role];

/** A scope unit as the picker holds it (its ancestors are not known, nor needed to show it). */
export const pickedFromScope = (scope: AccountScope | null): PickedUnit | null =>
  scope ? { code: scope.code, name: scope.name, level: scope.level, ancestors: [] } : null;

/** The unit still fits the new role's level, or the picker is emptied. */
export function unitForRole(unit: PickedUnit | null, role: Role | null): PickedUnit | null {
  if (!unit || !role) return unit;
  return scopeLevels[role].includes(unit.level) ? unit : null;
}

/**
 * A province officer of a province administrator can only be scoped to that province: it is filled in. Other roles
 * keep what was picked, when it fits.
 */
export function defaultUnitForRole(
  me: User,
  role: Role | null,
  current: PickedUnit | null,
): PickedUnit | null {
  const kept = unitForRole(current, role);
  if (kept || !role || !me.scope) return kept;
  const levels = scopeLevels[role];
  return levels.length === 1 && levels[0] === me.scope.level ? pickedFromScope(me.scope) : null;
}

export const usernamePattern = /^[a-zA-Z0-9._-]{3,64}$/;

/** What kind of unit the role is scoped to, as the picker's hint. */
export function scopeHint(role: Role, t: TFunction): string {
  const levels = scopeLevels[role];
  if (levels.length > 1) return t("userForm.scopeHintAny");
  return levels[0] === "commune" ? t("userForm.scopeHintCommune") : t("userForm.scopeHintProvince");
}
