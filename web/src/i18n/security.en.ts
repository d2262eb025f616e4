import type { securityVi } from "./security.vi.ts";

/** English strings of the security log page (namespace "security"). */
export const securityEn: typeof securityVi = {
  title: "Security log",
  intro:
    "Failed sign-ins, refused API tokens, and forbidden or out-of-scope requests within your unit. Passwords are never recorded.",
  link: "Security log",
  filterKind: "Kind of event",
  allKinds: "All",
  caption: "Security log, newest first",
  colTime: "Time",
  colKind: "Event",
  colWho: "Who",
  colAddress: "Address",
  colRequest: "Request",
  colUnit: "Unit",
  anonymous: "Not signed in",
  tried: "Tried the name “{{name}}”",
  account: "Account {{name}}",
  viaToken: "Account {{name}} (API token)",
  empty: "No events.",
  shown: "{{from}}–{{to}} of {{total}}",
  previous: "Previous",
  next: "Next",
  page: "Page {{page}} of {{pages}}",
  pagination: "Pages",
  reason: {
    unknown_name: "no account has this name",
    wrong_password: "wrong password",
    disabled: "account disabled",
  },
  kind: {
    sign_in_failed: "Failed sign-in",
    sign_in_throttled: "Sign-in held back (too many tries)",
    invalid_token: "API token refused",
    csrf_failed: "CSRF token missing",
    forbidden: "Action not allowed",
    out_of_scope: "Outside scope",
  },
};
