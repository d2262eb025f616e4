import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { getJson } from "./client.ts";
import type { UnitHistory, UnitLevel, UnitList } from "./types.ts";

/** Enough for any unit's children (the largest province has a few hundred communes); the API allows 500. */
export const treePageSize = 500;
export const searchPageSize = 20;

export const unitKeys = {
  all: ["units"] as const,
  search: (q: string) => ["units", "search", q] as const,
  children: (parent: string | undefined, at: string) => ["units", "children", parent ?? "", at] as const,
  history: (code: string, at: string | undefined) => ["units", "history", code, at ?? ""] as const,
};

/** A search across all dates, page by page. */
export function unitSearchQuery(q: string) {
  return infiniteQueryOptions({
    queryKey: unitKeys.search(q),
    queryFn: ({ pageParam, signal }) =>
      getJson<UnitList>("/units", { q, limit: searchPageSize, offset: pageParam }, signal),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, page) => n + page.items.length, 0);
      return loaded < last.total && last.items.length > 0 ? loaded : undefined;
    },
  });
}

/** The provinces on `at` (no parent), or the children of `parent` on `at`, each with its child count. */
export function unitChildrenQuery(parent: string | undefined, at: string) {
  return queryOptions({
    queryKey: unitKeys.children(parent, at),
    queryFn: ({ signal }) => getJson<UnitList>("/units", { parent, at, limit: treePageSize }, signal),
  });
}

/** Every version of a code, with the one valid on `at` (today when absent) selected. */
export function unitHistoryQuery(code: string, at: string | undefined) {
  return queryOptions({
    queryKey: unitKeys.history(code, at),
    queryFn: ({ signal }) => getJson<UnitHistory>(`/units/${encodeURIComponent(code)}`, { at }, signal),
  });
}

/** Units valid on `at` whose name or code matches, for a picker: the first 20, of one level when asked. */
export function currentUnitSearchQuery(q: string, at: string, level: UnitLevel | undefined) {
  return queryOptions({
    queryKey: ["units", "pick", q, at, level ?? ""] as const,
    queryFn: ({ signal }) => getJson<UnitList>("/units", { q, at, level, limit: searchPageSize }, signal),
  });
}
