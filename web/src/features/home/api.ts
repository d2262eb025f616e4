import { queryOptions } from "@tanstack/react-query";
import type { DueItem } from "../../../../src/modules/home/due-work.ts";
import { getJson, sendJson } from "../../api/client.ts";

/** The home list's shapes come from the server's own types (src/modules/home/due-work.ts): one contract. */
export type { DueAction, DueItem } from "../../../../src/modules/home/due-work.ts";

export interface DueWork {
  /** YYYY-MM-DD in Vietnam, the day the list is for. */
  today: string;
  items: DueItem[];
}

export const homeKeys = { dueWork: ["home", "due-work"] as const };

export function dueWorkQuery() {
  return queryOptions({
    queryKey: homeKeys.dueWork,
    queryFn: ({ signal }) => getJson<DueWork>("/home/due-work", {}, signal),
    staleTime: 30_000,
  });
}

/** Runs an item's one-click action (the server's path and body; its route's policy decides). */
export function runDueAction(action: { path: string; body: Record<string, unknown> }) {
  return sendJson<{ units: number; recipients: number }>("POST", action.path, action.body);
}
