import { Alert, Badge, Breadcrumbs, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { ApiError } from "../../api/client.ts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import {
  type Entry,
  type EntryContext,
  entryContextQuery,
  entryQuery,
  reportingKeys,
  type Target,
  type Violation,
} from "./api.ts";
import { ChecksPanel } from "./checks-panel.tsx";
import { EntryStore } from "./entry-store.ts";
import { OfflineBanner } from "./offline-banner.tsx";
import { canEnterData, ReportStatusBar } from "./report-status-bar.tsx";
import classes from "./reporting.module.css";
import { useEntryMeta } from "./use-entry-store.ts";
import { useReportingText } from "./use-reporting-text.ts";
import { ValueField } from "./value-field.tsx";
import { parseInput } from "./values.ts";

/** Import and export come after the first paint: their table is not needed to start typing. */
const FilesPanel = lazy(() => import("./files-panel.tsx").then((m) => ({ default: m.FilesPanel })));

export const Route = createLazyRoute("/reports/entry")({ component: EntryPage });

const routeApi = getRouteApi("/reports/entry");

/** /reports/entry?form&unit&period: one form for one unit and period, saved as it is typed. */
function EntryPage() {
  const { t } = useReportingText();
  const { form, unit, period } = routeApi.useSearch();
  if (!form || !unit || !period)
    return (
      <Stack gap="md" align="flex-start">
        <Title order={1}>{t("entry.title")}</Title>
        <ButtonLink to="/reports">{t("entry.chooseAgain")}</ButtonLink>
      </Stack>
    );
  return <EntryLoader key={`${form}|${unit}|${period}`} target={{ form, unit, period }} />;
}

function EntryLoader({ target }: { target: Target }) {
  const { t } = useReportingText();
  const entry = useQuery(entryQuery(target));
  if (entry.isPending) return <LoadingState />;
  if (entry.isError) {
    const error = entry.error;
    const known =
      error instanceof ApiError
        ? {
            period_not_open: t("entry.periodNotOpen", { period: target.period }),
            unit_not_assigned: t("entry.unitNotAssigned"),
            period_type_mismatch: t("entry.periodTypeMismatch"),
          }[error.code]
        : undefined;
    return (
      <Stack gap="md" align="flex-start">
        <Title order={1}>{t("entry.title")}</Title>
        {known ? (
          <Alert color="orange" variant="light" title={t("entry.entryErrorTitle")} role="alert">
            {known}
          </Alert>
        ) : (
          <ErrorState error={error} onRetry={() => entry.refetch()} />
        )}
        <ButtonLink to="/reports" search={{ form: target.form, unit: target.unit }} variant="default">
          {t("entry.chooseAgain")}
        </ButtonLink>
      </Stack>
    );
  }
  return <EntryScreen entry={entry.data} />;
}

function EntryScreen({ entry }: { entry: Entry }) {
  const { t, name, language, periodLabel } = useReportingText();
  const queryClient = useQueryClient();
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;

  const [store] = useState(() => {
    const created: EntryStore = new EntryStore(entry, language, {
      onReportChanged: () => void refreshStore(queryClient, created),
      onCsrfStale: async () => {
        await queryClient.fetchQuery({ ...meQuery(), staleTime: 0 });
      },
    });
    return created;
  });
  const reload = useCallback(() => refreshStore(queryClient, store), [queryClient, store]);
  const target = store.target;
  useEffect(() => store.start(), [store]);
  useEffect(() => store.setLanguage(language), [store, language]);
  const meta = useEntryMeta(store);
  const context = useQuery(entryContextQuery(target));
  const offlineViolations = useOfflineViolations(store, meta.isOnline, context.data?.rules);
  /** With no connection, the rules run here on the values on screen; the server's list is of the last save. */
  const violations = offlineViolations ?? meta.violations;

  const title = name(entry.form);
  const period = periodLabel(entry.period.code, entry.period.type);
  useEffect(() => {
    document.title = `${title} — ${entry.unit.name} — Grassroots`;
  }, [title, entry.unit.name]);
  // A new page for keyboard and screen-reader users: start from its heading, the first field a few Tabs away.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus({ preventScroll: true }), []);

  const mayEnter = canEnterData(user?.role);
  const isReadOnly = meta.report.isLocked || !mayEnter;
  const readOnlyWhy =
    meta.report.status === "approved"
      ? t("entry.readOnlyApproved")
      : meta.report.status === "submitted"
        ? t("entry.readOnlySubmitted")
        : !mayEnter && user
          ? t("entry.readOnlyRole")
          : null;
  // A value belongs to (element, unit, period): another form's report covering it locks it here too.
  const lockedHere = new Set(entry.lockedElements.map((l) => l.element));
  const lockedForms = [
    ...new Set(entry.lockedElements.flatMap((l) => (l.form ? [`“${name(l.form)}”`] : []))),
  ];
  const isImporting = entry.lockedElements.some((l) => l.status === "importing");

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Breadcrumbs separator="›" separatorMargin={6}>
          <AnchorLink to="/reports" search={target} size="sm">
            {t("entry.back")}
          </AnchorLink>
          <AnchorLink to="/reports/status" search={{ form: target.form, period: target.period }} size="sm">
            {t("statusView.title")}
          </AnchorLink>
        </Breadcrumbs>
        <Title order={1} ref={headingRef} tabIndex={-1} className={classes.heading}>
          {title}
        </Title>
        <Group gap="xs" wrap="wrap">
          <Text fw={600} size="lg">
            {t("entry.heading", { unit: entry.unit.name, period })}
          </Text>
          {entry.form.isIllustrative && (
            <Badge color="yellow.4" variant="filled" autoContrast title={t("illustrativeHint")}>
              {t("illustrative")}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {t("entry.keyboardHint")}
        </Text>
      </Stack>
      <ReportStatusBar store={store} entry={entry} role={user?.role} myId={user?.id} onChanged={reload} />
      <OfflineBanner store={store} />
      {offlineViolations && (
        <Text size="sm" c="dimmed" role="note">
          {t("offlineChecks")}
        </Text>
      )}
      {readOnlyWhy && (
        <Alert color="gray" variant="light" role="note">
          {readOnlyWhy}
        </Alert>
      )}
      {!readOnlyWhy && (isImporting || lockedForms.length > 0) && (
        <Alert color="gray" variant="light" role="note">
          {isImporting ? t("entry.importing") : t("entry.lockedElsewhere", { forms: lockedForms.join(", ") })}
        </Alert>
      )}
      <div className={classes.entryColumns}>
        <div>
          <Stack gap="md">
            {entry.form.sections.map((section, index) => (
              <Paper
                key={section.nameVi}
                withBorder
                p="md"
                component="section"
                aria-labelledby={`section-${index}`}
              >
                <Title order={2} size="h4" id={`section-${index}`} mb="sm">
                  {name(section)}
                </Title>
                <div className={classes.sectionGrid}>
                  {section.elements.map((element) => (
                    <ValueField
                      key={element.code}
                      store={store}
                      code={element.code}
                      violations={violations.filter((v) => v.elements.includes(element.code))}
                      context={context.data}
                      periodType={entry.period.type}
                      isReadOnly={isReadOnly || lockedHere.has(element.code)}
                      myId={user?.id}
                    />
                  ))}
                </div>
              </Paper>
            ))}
          </Stack>
        </div>
        <div>
          <Stack gap="md" className={classes.sticky}>
            <ChecksPanel store={store} entry={entry} onRun={reload} />
            <Suspense fallback={null}>
              <FilesPanel target={target} canImport={mayEnter && !meta.report.isLocked} onImported={reload} />
            </Suspense>
          </Stack>
        </div>
      </div>
      {entry.form.isIllustrative && (
        <Text size="sm" c="dimmed">
          {t("illustrativeHint")}
        </Text>
      )}
    </Stack>
  );
}

/** Loads the entry again and gives the store what the server now holds (fields being edited keep theirs). */
async function refreshStore(queryClient: QueryClient, store: EntryStore): Promise<void> {
  const fresh = await queryClient.fetchQuery({ ...entryQuery(store.target), staleTime: 0 });
  store.refresh(fresh);
  void queryClient.invalidateQueries({
    queryKey: reportingKeys.status(store.target.form, store.target.period),
  });
}

/**
 * While the browser is offline, the form's rules (from the entry context, cached for offline use) are evaluated on
 * the values typed, so a mistake shows even with no server to ask; null while online.
 */
function useOfflineViolations(
  store: EntryStore,
  isOnline: boolean,
  rules: EntryContext["rules"] | undefined,
): Violation[] | null {
  const [found, setFound] = useState<Violation[] | null>(null);
  useEffect(() => {
    if (isOnline || !rules) {
      setFound(null);
      return;
    }
    let cancelled = false;
    const run = async () => {
      const { localViolations } = await import("./offline-checks.ts");
      const numberOf = (code: string) => {
        const field = store.getField(code);
        if (!field) return null;
        const parsed = parseInput(field.text, field.element.valueType, store.readingLanguage());
        return parsed.ok && typeof parsed.value === "number" ? parsed.value : null;
      };
      if (!cancelled) setFound(localViolations(rules, numberOf));
    };
    void run();
    const unsubscribe = store.subscribe(() => void run());
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [store, isOnline, rules]);
  return found;
}
