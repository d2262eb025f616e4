import { useTranslation } from "react-i18next";
import { ApiError, fieldErrors } from "../api/client.ts";
import type { AccountScope, User } from "../api/types.ts";
import { isRole } from "./access.ts";
import { formatDateTime, formatDay, todayInVietnam } from "./dates.ts";

const knownActions = [
  "users.create",
  "users.update",
  "users.disable",
  "users.change_password",
  "tokens.create",
  "tokens.revoke",
  "auth.sign_in",
  "auth.sign_out",
  "units.import",
  "units.establish",
  "units.merge",
  "units.split",
  "units.rename",
  "units.change_parent",
  "units.abolish",
  "units.reorganize",
  "data.save",
  "data.import",
  "report.submit",
  "report.withdraw",
  "report.approve",
  "report.return",
  "report.unlock",
  "catalogue.create",
  "catalogue.update",
  "catalogue.form_units",
] as const;
type KnownAction = (typeof knownActions)[number];
const isKnownAction = (value: string): value is KnownAction =>
  (knownActions as readonly string[]).includes(value);

const recordKinds = [
  "user",
  "api_token",
  "session",
  "unit_event",
  "reference_import",
  "data_value",
  "report",
  "form",
  "data_element",
  "indicator",
  "validation_rule",
] as const;
export type RecordKind = (typeof recordKinds)[number];
export const knownRecordKinds: readonly RecordKind[] = recordKinds;
const isRecordKind = (value: string): value is RecordKind =>
  (recordKinds as readonly string[]).includes(value);

const fieldNames = [
  "username",
  "displayName",
  "role",
  "scope",
  "isDisabled",
  "lockedUntil",
  "version",
  "passwordReset",
  "passwordChangedAt",
  "otherSessionsEnded",
  "name",
  "prefix",
  "expiresAt",
  "revokedAt",
  "endedAt",
  "address",
  "userId",
] as const;
type FieldName = (typeof fieldNames)[number];
const isFieldName = (value: string): value is FieldName => (fieldNames as readonly string[]).includes(value);

/**
 * The server explains a weak password in English (`details.fields[].message`); the known reasons, by their text,
 * in the UI language. An unknown reason is shown as the server wrote it rather than hidden.
 */
const weaknessKeys = {
  "at least 10 characters are needed": "password.tooShort",
  "at most 200 characters": "password.tooLong",
  "too few different characters": "password.fewChars",
  "it is one of the most common passwords": "password.common",
  "it contains the sign-in name": "password.containsUsername",
} as const;
const isWeaknessReason = (value: string): value is keyof typeof weaknessKeys => value in weaknessKeys;

/** Labels of accounts, roles and audit events in the current UI language. */
export function useAccountText() {
  const { t } = useTranslation();
  const scopeName = (scope: AccountScope | null) => (scope ? scope.name : t("auth.wholeCountry"));
  return {
    t,
    roleLabel: (role: string) => (isRole(role) ? t(`role.${role}`) : role),
    scopeName,
    /** "Xã Chiềng Khương (04222)", or "Toàn quốc" for a system administrator. */
    scopeLabel: (scope: AccountScope | null) => (scope ? `${scope.name} (${scope.code})` : scopeName(null)),
    /** Active, disabled, or locked (until when, in `detail`); the colour of its badge. */
    userStatus: (
      user: Pick<User, "isDisabled" | "lockedUntil">,
    ): { label: string; color: string; detail?: string } => {
      if (user.isDisabled) return { label: t("users.disabled"), color: "gray" };
      if (user.lockedUntil)
        return {
          label: t("users.locked"),
          color: "orange",
          detail: t("users.lockedUntil", lockedParts(user.lockedUntil)),
        };
      return { label: t("users.active"), color: "green" };
    },
    actionLabel: (action: string) => (isKnownAction(action) ? t(`audit.action.${action}`) : action),
    recordKindLabel: (kind: string) => (isRecordKind(kind) ? t(`audit.recordKind.${kind}`) : kind),
    fieldLabel: (key: string) => (isFieldName(key) ? t(`audit.fieldName.${key}`) : key),
    /** Why the server found a new password weak, in the UI language; null when the error is about something else. */
    weakPasswordText: (error: unknown): string | null => {
      if (!(error instanceof ApiError) || error.code !== "weak_password") return null;
      const reason = fieldErrors(error)[0]?.message;
      if (!reason) return error.message;
      return t("password.weak", { why: isWeaknessReason(reason) ? t(weaknessKeys[reason]) : reason });
    },
  };
}

/** { time: "14:05", date: "30/06/2025" } of an instant in Vietnam, for "locked until {{time}} on {{date}}". */
export function lockedParts(instant: string): { time: string; date: string } {
  const [date = "", time = ""] = formatDateTime(instant).split(" ");
  return { time, date };
}

/** The day a merged unit stopped (its exclusive validTo), as dd/mm/yyyy. */
export function endedOn(scope: Pick<AccountScope, "validTo">): string {
  return formatDay(scope.validTo ?? todayInVietnam());
}
