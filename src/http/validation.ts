import { z } from "zod";
import type { Localized } from "./errors.ts";

/**
 * Validation messages in both languages. zod writes one message per issue, in its configured locale; we configure it
 * to write English and remember the Vietnamese of zod's own `vi` locale for the same issue, so that a 400
 * `invalid_input` names each field's problem in the reader's language. Messages our schemas write themselves go
 * through `zodMessage({ vi, en })`.
 */
const english = z.locales.en().localeError;
const vietnamese = z.locales.vi().localeError;
const vietnameseOf = new Map<string, string>();
/** Messages hold limits and option lists, not input; the cap only guards against a schema that would put input in. */
const REMEMBERED = 10_000;

const textOf = (r: string | { message: string } | undefined | null): string | undefined =>
  typeof r === "string" ? r : (r?.message ?? undefined);

function remember(en: string, vi: string) {
  if (vietnameseOf.size < REMEMBERED || vietnameseOf.has(en)) vietnameseOf.set(en, vi);
}

z.config({
  localeError: (issue) => {
    const en = textOf(english(issue)) ?? "Invalid input";
    const vi = textOf(vietnamese(issue));
    if (vi) remember(en, vi);
    return en;
  },
});

/** A message for a zod check (`.regex(re, zodMessage({ vi, en }))`), in both languages. */
export function zodMessage(message: Localized): string {
  remember(message.en, message.vi);
  return message.en;
}

/** Both languages of a zod issue's message (English twice when it has no Vietnamese, which a test forbids). */
export function localizedIssue(message: string): Localized {
  return { vi: vietnameseOf.get(message) ?? message, en: message };
}

/** Whether a message has a Vietnamese form (for the test that every message does). */
export const hasVietnamese = (message: string) => vietnameseOf.has(message);
