import type { RawValue, Target } from "./api.ts";

/**
 * Values typed while the connection was down, kept in localStorage until the server has them: a commune official
 * in the mountains may type a whole report offline, close the laptop and send it the next morning. One entry per
 * form/unit/period/element (typing again replaces the value, keeping its place), sent in the order first queued.
 */
export interface QueuedValue extends Target {
  key: string;
  element: string;
  value: RawValue;
  comment: string | null;
  /** The server version the person saw when typing; the server refuses the value (409) if it changed since. */
  expectedVersion: number;
  queuedAt: string;
  /** Bumped by each change, so that a send that finishes after a newer edit does not drop the newer value. */
  rev: number;
  /** For the waiting list shown while offline and on the reports page. */
  names: { vi: string; en: string };
  unitName: string;
}

const storageKey = "grassroots.reporting.queue.v1";

export const queueKey = (t: Target, element: string) => `${t.form}|${t.unit}|${t.period}|${element}`;
export const targetKey = (t: Target) => `${t.form}|${t.unit}|${t.period}`;

function isQueuedValue(v: unknown): v is QueuedValue {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.key === "string" &&
    typeof o.form === "string" &&
    typeof o.unit === "string" &&
    typeof o.period === "string" &&
    typeof o.element === "string" &&
    typeof o.expectedVersion === "number" &&
    (o.value === null || ["string", "number", "boolean"].includes(typeof o.value))
  );
}

/** What is stored, read defensively: a damaged or older entry is dropped rather than crash the page. */
function load(): QueuedValue[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(isQueuedValue).map((v) => ({
      ...v,
      comment: typeof v.comment === "string" ? v.comment : null,
      rev: typeof v.rev === "number" ? v.rev : 0,
      queuedAt: typeof v.queuedAt === "string" ? v.queuedAt : new Date().toISOString(),
      names: v.names ?? { vi: v.element, en: v.element },
      unitName: typeof v.unitName === "string" ? v.unitName : v.unit,
    }));
  } catch {
    return [];
  }
}

let items: QueuedValue[] = load();
/** False when the browser refused to store (private mode, full disk): the values then live only in this tab. */
let isPersistent = true;
const listeners = new Set<() => void>();

function save(next: QueuedValue[]): void {
  items = next;
  try {
    if (next.length) localStorage.setItem(storageKey, JSON.stringify(next));
    else localStorage.removeItem(storageKey);
    isPersistent = true;
  } catch {
    isPersistent = false;
  }
  for (const listener of listeners) listener();
}

// Another tab of the same browser sent or queued values.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key !== storageKey) return;
    items = load();
    for (const listener of listeners) listener();
  });
}

export const valueQueue = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** The same array until something changes (a stable snapshot for useSyncExternalStore). */
  all(): QueuedValue[] {
    return items;
  },
  isPersistent(): boolean {
    return isPersistent;
  },
  forTarget(t: Target): QueuedValue[] {
    const prefix = `${targetKey(t)}|`;
    return items.filter((v) => v.key.startsWith(prefix));
  },
  get(key: string): QueuedValue | undefined {
    return items.find((v) => v.key === key);
  },
  /** Queues a value, or replaces the waiting value of the same field; the first expected version is kept. */
  put(entry: Omit<QueuedValue, "key" | "rev" | "queuedAt">): QueuedValue {
    const key = queueKey(entry, entry.element);
    const existing = items.find((v) => v.key === key);
    const next: QueuedValue = existing
      ? { ...existing, value: entry.value, comment: entry.comment, rev: existing.rev + 1 }
      : { ...entry, key, rev: 0, queuedAt: new Date().toISOString() };
    save(existing ? items.map((v) => (v.key === key ? next : v)) : [...items, next]);
    return next;
  },
  /**
   * The server took revision `rev` of this value and now holds `version`. Removes the entry, unless it was changed
   * meanwhile: then it stays, to be sent against the new version.
   */
  settle(key: string, rev: number, version: number): void {
    const existing = items.find((v) => v.key === key);
    if (!existing) return;
    if (existing.rev === rev) save(items.filter((v) => v.key !== key));
    else save(items.map((v) => (v.key === key ? { ...v, expectedVersion: version } : v)));
  },
  remove(key: string): void {
    if (items.some((v) => v.key === key)) save(items.filter((v) => v.key !== key));
  },
};
