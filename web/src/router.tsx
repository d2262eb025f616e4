import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  type ParsedLocation,
  redirect,
} from "@tanstack/react-router";
import { meQuery } from "./api/auth.ts";
import { type SecurityEventKind, securityEventKinds } from "./api/security.ts";
import { AppLayout } from "./components/app-layout.tsx";
import { PageNotFound, RouteError } from "./components/route-states.tsx";
import { LoadingState } from "./components/status.tsx";
import { safeNext } from "./lib/access.ts";
import { parseIsoDay } from "./lib/dates.ts";

export interface RouterContext {
  queryClient: QueryClient;
}

/** Why the sign-in page was opened: a session that ended, or a page that needs one. */
export type SignInReason = "expired" | "required";

/** Search params of the sign-in page: where to go afterwards, and why the person was sent here. */
export interface SignInSearch {
  next?: string;
  reason?: SignInReason;
}

/** Search params of the accounts page. */
export interface UsersSearch {
  q?: string;
}

/** Search params of the audit page: its filters and the page of results. */
export interface AuditSearch {
  user?: string;
  unit?: string;
  kind?: string;
  from?: string;
  to?: string;
  page?: number;
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

const positiveInteger = (value: unknown): number | undefined => {
  const n = typeof value === "string" || typeof value === "number" ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : undefined;
};

/**
 * The guard of the pages that need someone signed in: to the sign-in page otherwise, with the address to come
 * back to. Which role may see a page is the page's business (it says so rather than bounce the person).
 */
async function requireSignIn({ context, location }: { context: RouterContext; location: ParsedLocation }) {
  const me = await context.queryClient.ensureQueryData(meQuery());
  if (!me.user) {
    throw redirect({
      to: "/sign-in",
      search: { next: location.href, reason: me.isExpired ? "expired" : "required" },
    });
  }
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppLayout,
  notFoundComponent: PageNotFound,
  errorComponent: RouteError,
});

/** The home page: "Việc cần làm" for someone signed in, the landing page for a visitor. */
const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
}).lazy(() => import("./features/home/home-page.tsx").then((m) => m.Route));

export const notificationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/notifications",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/notifications/notifications-page.tsx").then((m) => m.Route));

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

export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: (search: Record<string, unknown>): SignInSearch => ({
    next: safeNext(search.next),
    reason: search.reason === "expired" || search.reason === "required" ? search.reason : undefined,
  }),
  // Someone already signed in has nothing to do here: on to where they were going.
  beforeLoad: async ({ context, search }) => {
    const me = await context.queryClient.ensureQueryData(meQuery());
    if (me.user) throw redirect({ href: search.next ?? "/", replace: true });
  },
}).lazy(() => import("./features/session/sign-in-page.tsx").then((m) => m.Route));

export const accountRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/account",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/account/account-page.tsx").then((m) => m.Route));

export const usersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/users",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): UsersSearch => ({ q: text(search.q, 100) }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/users/users-page.tsx").then((m) => m.Route));

export const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/audit",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): AuditSearch => ({
    user: text(search.user, 32),
    unit: text(search.unit, 32),
    kind: text(search.kind, 64),
    from: parseIsoDay(search.from),
    to: parseIsoDay(search.to),
    page: positiveInteger(search.page),
  }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/audit/audit-page.tsx").then((m) => m.Route));

/** Search params of the security log page: the kind of event and the page of results. */
export interface SecuritySearch {
  kind?: SecurityEventKind;
  page?: number;
}

export const securityRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/security",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): SecuritySearch => ({
    kind: securityEventKinds.find((k) => k === search.kind),
    page: positiveInteger(search.page),
  }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/security/security-page.tsx").then((m) => m.Route));

/** Search params of the reporting pages: which form, unit and period (each page uses the ones it needs). */
export interface ReportSearch {
  form?: string;
  unit?: string;
  period?: string;
}

const reportSearch = (search: Record<string, unknown>): ReportSearch => ({
  form: text(search.form, 64),
  unit: text(search.unit, 32),
  period: text(search.period, 16),
});

export const reportsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reports",
  staticData: { requiresSignIn: true },
  validateSearch: reportSearch,
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/reporting/reports-page.tsx").then((m) => m.Route));

export const reportEntryRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reports/entry",
  staticData: { requiresSignIn: true },
  validateSearch: reportSearch,
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/reporting/entry-page.tsx").then((m) => m.Route));

export const reportStatusRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reports/status",
  staticData: { requiresSignIn: true },
  validateSearch: reportSearch,
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/reporting/status-page.tsx").then((m) => m.Route));

/** The parts of the indicator catalogue page, one tab each. */
export type CatalogueTab = "elements" | "indicators" | "rules" | "forms";

/** Search params of the catalogue page: the tab shown and the search typed. */
export interface CatalogueSearch {
  tab?: CatalogueTab;
  q?: string;
}

const catalogueTabs: readonly string[] = ["elements", "indicators", "rules", "forms"];

export const catalogueRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/catalogue",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): CatalogueSearch => ({
    tab: catalogueTabs.includes(String(search.tab)) ? (search.tab as CatalogueTab) : undefined,
    q: text(search.q, 100),
  }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/catalogue/catalogue-page.tsx").then((m) => m.Route));

export const catalogueFormNewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/catalogue/forms/new",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/forms/form-designer-page.tsx").then((m) => m.NewFormRoute));

export const catalogueFormDesignRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/catalogue/forms/$code/design",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/forms/form-designer-page.tsx").then((m) => m.EditFormRoute));

export const catalogueFormRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/catalogue/forms/$code",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/catalogue/form-page.tsx").then((m) => m.Route));

/** Search params of the dashboards: the province (a system administrator picks one), the year and the indicator. */
export interface DashboardSearch {
  unit?: string;
  year?: string;
  indicator?: string;
}

const dashboardSearch = (search: Record<string, unknown>): DashboardSearch => {
  const year = text(search.year, 4);
  return {
    unit: text(search.unit, 32),
    year: year && /^\d{4}$/.test(year) ? year : undefined,
    indicator: text(search.indicator, 64),
  };
};

export const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/dashboard",
  staticData: { requiresSignIn: true },
  validateSearch: dashboardSearch,
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/analytics/overview-page.tsx").then((m) => m.Route));

export const unitProfileRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/dashboard/units/$code",
  staticData: { requiresSignIn: true },
  validateSearch: dashboardSearch,
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/analytics/unit-profile-page.tsx").then((m) => m.Route));

/** Search params of the households page: the commune and the tab open. */
export interface HouseholdsSearch {
  commune?: string;
  tab?: "registry" | "reviews" | "support";
}

export const householdsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): HouseholdsSearch => ({
    commune: text(search.commune, 32),
    tab:
      search.tab === "reviews" || search.tab === "support" || search.tab === "registry"
        ? search.tab
        : undefined,
  }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/households-page.tsx").then((m) => m.Route));

export const householdRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households/$id",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/household-page.tsx").then((m) => m.Route));

export const householdReviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households/reviews/$id",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/review-page.tsx").then((m) => m.Route));

export const householdCycleRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households/cycles/$id",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/cycle-page.tsx").then((m) => m.Route));

/** Search params of the support programmes page: the unit (province or commune) and a disaster to link a new one to. */
export interface SupportSearch {
  unit?: string;
  disaster?: number;
}

export const supportProgrammesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households/support",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): SupportSearch => ({
    unit: text(search.unit, 32),
    disaster:
      Number.isInteger(Number(search.disaster)) && Number(search.disaster) > 0
        ? Number(search.disaster)
        : undefined,
  }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/programmes-page.tsx").then((m) => m.Route));

export const supportProgrammeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households/support/$id",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/programme-page.tsx").then((m) => m.Route));

export const disastersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households/disasters",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): { unit?: string } => ({ unit: text(search.unit, 32) }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/disasters-page.tsx").then((m) => m.Route));

export const disasterRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households/disasters/$id",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/disaster-page.tsx").then((m) => m.Route));
/** Search params of the poverty standards page: the province and the year looked at. */
export interface HouseholdStandardsSearch {
  province?: string;
  year?: string;
}

export const householdStandardsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households/standards",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): HouseholdStandardsSearch => ({
    province: text(search.province, 8),
    year: typeof search.year === "string" && /^\d{4}$/.test(search.year) ? search.year : undefined,
  }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/standards-page.tsx").then((m) => m.Route));

export const householdDuplicatesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/households/duplicates",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): { commune?: string } => ({
    commune: text(search.commune, 32),
  }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/households/duplicates-page.tsx").then((m) => m.Route));

/** Search params of the pivot builder: a saved view to open. */
export interface PivotSearch {
  view?: number;
}

export const pivotRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/analytics",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): PivotSearch => ({ view: positiveInteger(search.view) }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/analytics/pivot-page.tsx").then((m) => m.Route));

/** Search params of the standards pages: the framework, the year evaluated and (system administrators) the province. */
export interface StandardsSearch {
  framework?: string;
  year?: string;
  unit?: string;
}

const standardsSearch = (search: Record<string, unknown>): StandardsSearch => {
  const year = text(search.year, 4);
  return {
    framework: text(search.framework, 64),
    year: year && /^\d{4}$/.test(year) ? year : undefined,
    unit: text(search.unit, 32),
  };
};

export const standardsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/standards",
  staticData: { requiresSignIn: true },
  validateSearch: standardsSearch,
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/standards/standards-page.tsx").then((m) => m.Route));

export const scorecardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/standards/communes/$code",
  staticData: { requiresSignIn: true },
  validateSearch: standardsSearch,
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/standards/scorecard-page.tsx").then((m) => m.Route));
/** Search params of the working-sessions lists. */
export interface ProposalsSearch {
  status?: "received" | "assigned" | "under_review" | "answered" | "closed";
  overdue?: "true";
}
export interface DirectionsSearch {
  unit?: string;
  status?: "in_progress" | "overdue" | "completed_on_time" | "completed_late";
}
const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

export const meetingsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sessions",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/sessions/meetings-page.tsx").then((m) => m.Route));

export const meetingNewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sessions/meetings/new",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/sessions/meeting-form-page.tsx").then((m) => m.Route));

export const meetingRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sessions/meetings/$id",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/sessions/meeting-page.tsx").then((m) => m.Route));

export const proposalsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sessions/proposals",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): ProposalsSearch => ({
    status: oneOf(search.status, ["received", "assigned", "under_review", "answered", "closed"] as const),
    overdue: search.overdue === "true" ? "true" : undefined,
  }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/sessions/proposals-page.tsx").then((m) => m.Route));

export const proposalRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sessions/proposals/$id",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/sessions/proposal-page.tsx").then((m) => m.Route));

export const directionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sessions/directions",
  staticData: { requiresSignIn: true },
  validateSearch: (search: Record<string, unknown>): DirectionsSearch => ({
    unit: text(search.unit, 8),
    status: oneOf(search.status, ["in_progress", "overdue", "completed_on_time", "completed_late"] as const),
  }),
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/sessions/directions-page.tsx").then((m) => m.Route));

export const directionRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sessions/directions/$id",
  staticData: { requiresSignIn: true },
  beforeLoad: requireSignIn,
}).lazy(() => import("./features/sessions/direction-page.tsx").then((m) => m.Route));

const routeTree = rootRoute.addChildren([
  indexRoute,
  unitsRoute,
  unitRoute,
  signInRoute,
  accountRoute,
  usersRoute,
  auditRoute,
  reportsRoute,
  reportEntryRoute,
  reportStatusRoute,
  catalogueRoute,
  catalogueFormRoute,
  catalogueFormNewRoute,
  catalogueFormDesignRoute,
  dashboardRoute,
  unitProfileRoute,
  pivotRoute,
  notificationsRoute,
  standardsRoute,
  scorecardRoute,
  meetingsRoute,
  meetingNewRoute,
  meetingRoute,
  proposalsRoute,
  proposalRoute,
  directionsRoute,
  directionRoute,
  securityRoute,
  householdsRoute,
  householdRoute,
  householdReviewRoute,
  householdCycleRoute,
  supportProgrammesRoute,
  supportProgrammeRoute,
  disastersRoute,
  disasterRoute,
  householdStandardsRoute,
  householdDuplicatesRoute,
]);

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

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module "@tanstack/react-router" {
  interface Register {
    router: AppRouter;
  }
  interface StaticDataRouteOption {
    /** The page shows nobody's data until someone signs in; when the session ends, it sends them to sign in. */
    requiresSignIn?: boolean;
  }
}
