/** One key of an audit event's before → after. */
export interface DiffEntry {
  key: string;
  before: unknown;
  after: unknown;
  /** Also true when the key is on one side only (created, or removed). */
  isChanged: boolean;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The keys of `before` and `after` side by side, in the order they first appear. Snapshots are stored as written
 * by whichever version of the server made them, so anything goes: a value that is not an object is one entry.
 */
export function diffEntries(before: unknown, after: unknown): DiffEntry[] {
  if (before == null && after == null) return [];
  if (!(isPlainObject(before) || before == null) || !(isPlainObject(after) || after == null)) {
    return [{ key: "", before, after, isChanged: !sameValue(before, after) }];
  }
  const from = before ?? {};
  const to = after ?? {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return keys.map((key) => ({
    key,
    before: from[key],
    after: to[key],
    isChanged: !(key in from && key in to) || !sameValue(from[key], to[key]),
  }));
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const isInstant = (value: unknown): value is string =>
  typeof value === "string" &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value);
