import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, createRouter, redirect } from "@tanstack/react-router";
import { AppLayout } from "./components/app-layout.tsx";
import { PageNotFound, RouteError } from "./components/route-states.tsx";
import { LoadingState } from "./components/status.tsx";
import { parseIsoDay } from "./lib/dates.ts";

export interface RouterContext {
  queryClient: QueryClient;
}

/** Search params of the units browser: the search text, the as-of date and the unit whose children are shown. */
export interface UnitsSearch {
  q?: string;
  at?: string;
  parent?: string;
}

/** Search params of a unit page: `at` picks the version of a reused code. */
export interface UnitSearch {
  at?: string;
}

const text = (value: unknown, max: number): string | undefined => {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const trimmed = String(value).trim().slice(0, max);
  return trimmed === "" ? undefined : trimmed;
};

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppLayout,
  notFoundComponent: PageNotFound,
  errorComponent: RouteError,
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/units", replace: true });
  },
});

export const unitsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/units",
  // Every key is returned, undefined when invalid: the router keeps raw values for keys a validator leaves out.
  validateSearch: (search: Record<string, unknown>): UnitsSearch => ({
    q: text(search.q, 100),
    at: parseIsoDay(search.at),
    parent: text(search.parent, 32),
  }),
}).lazy(() => import("./features/units/units-browser-page.tsx").then((m) => m.Route));

export const unitRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/units/$code",
  validateSearch: (search: Record<string, unknown>): UnitSearch => ({ at: parseIsoDay(search.at) }),
}).lazy(() => import("./features/units/unit-page.tsx").then((m) => m.Route));

const routeTree = rootRoute.addChildren([indexRoute, unitsRoute, unitRoute]);

/** Plain `?q=04222&at=2025-06-30`: no JSON in the address, so "04222" stays a string and links stay readable. */
function parseSearch(searchStr: string): Record<string, unknown> {
  return Object.fromEntries(new URLSearchParams(searchStr));
}

function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    parseSearch,
    stringifySearch,
    defaultPendingComponent: () => <LoadingState />,
    // A page that fails renders its error inside the layout: header, navigation and language switch stay usable.
    defaultErrorComponent: RouteError,
    defaultPendingMs: 300,
    scrollRestoration: true,
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
