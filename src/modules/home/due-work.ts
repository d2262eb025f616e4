import type { Db } from "../../db/client.ts";
import type { Localized } from "../../http/errors.ts";
import type { SignedIn } from "../access/actor.ts";

/**
 * One thing an officer has to do, as the home page ("Việc cần làm") lists it. Every module that gives people work
 * (reports, directions, proposals, poverty reviews, …) contributes items through a `DueWorkSource`; the home page and
 * the reminder job read them all through `listDueWork`, so no module keeps a parallel list of its own.
 */
export interface DueItem {
  /** The contributing source, e.g. "reports", "directions", "proposals". */
  source: string;
  /** Stable within the source: what a notification about this item refers to. */
  id: string;
  /** The unit the work belongs to. */
  unitCode: string;
  unitName: string;
  title: Localized;
  /**
   * due: before its due date; overdue: past it; returned: sent back with a reason; awaiting_approval: waiting for
   * this reader to approve; awaiting_answer: waiting for this reader to answer.
   */
  state: "due" | "overdue" | "returned" | "awaiting_approval" | "awaiting_answer";
  /** YYYY-MM-DD, or null when it has none. */
  dueDate: string | null;
  /** Why it is in this state, when there is a reason (a return's reason). */
  reason: Localized | null;
  /** The web app path that opens it. */
  link: string;
  /** A one-click action the home page offers beside it (e.g. remind every late commune), when there is one. */
  action?: DueAction;
}

/** A button on the home page: POSTs `body` to the API path `path` (under /api/v1); the route's policy decides. */
export interface DueAction {
  /** Stable, for tests and analytics: "remind". */
  kind: string;
  label: Localized;
  path: string;
  body: Record<string, unknown>;
}

export interface DueWorkContext {
  db: Db;
  actor: SignedIn;
  /** YYYY-MM-DD, the day the list is for (the clock is injectable for tests). */
  today: string;
}

export type DueWorkSource = (context: DueWorkContext) => Promise<DueItem[]>;

const sources = new Map<string, DueWorkSource>();

/** Registers a module's contribution; a second registration under one name replaces the first. */
export function registerDueWorkSource(name: string, source: DueWorkSource): void {
  sources.set(name, source);
}

const stateOrder: Record<DueItem["state"], number> = {
  overdue: 0,
  returned: 1,
  awaiting_approval: 2,
  awaiting_answer: 3,
  due: 4,
};

/** Everything due for one reader from every source: overdue and returned first, then by due date. */
export async function listDueWork(context: DueWorkContext): Promise<DueItem[]> {
  const lists = await Promise.all([...sources.values()].map((source) => source(context)));
  return lists
    .flat()
    .sort(
      (a, b) =>
        stateOrder[a.state] - stateOrder[b.state] ||
        (a.dueDate ?? "9999-12-31").localeCompare(b.dueDate ?? "9999-12-31") ||
        a.title.vi.localeCompare(b.title.vi, "vi"),
    );
}
