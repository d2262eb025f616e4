import { Alert, Badge, Breadcrumbs, Grid, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import { meQuery } from "../../api/auth.ts";
import { ApiError } from "../../api/client.ts";
import type { UnitHistory } from "../../api/types.ts";
import { unitChildrenQuery, unitHistoryQuery } from "../../api/units.ts";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { IllustrativeBadge, StatusBadge } from "../../components/unit-badges.tsx";
import { formatDay, todayInVietnam } from "../../lib/dates.ts";
import { isIllustrative, lastValidDay, versionAt } from "../../lib/units.ts";
import { useUnitText } from "../../lib/use-unit-text.ts";
import { useAnalyticsText } from "../analytics/use-analytics-text.ts";
import { UnitSessionsSection } from "../sessions/unit-sessions-section.tsx";
import { ChildrenSuccessors } from "./children-successors.tsx";
import { CodeHistory } from "./code-history.tsx";
import { EventSummary, LineageSection } from "./lineage-section.tsx";
import { UnitNotFound } from "./unit-not-found.tsx";
import { UnitTable } from "./unit-table.tsx";

export const Route = createLazyRoute("/units/$code")({ component: UnitPage });

const routeApi = getRouteApi("/units/$code");

/** /units/$code?at=: one unit version, the history of its code, its lineage and its children. */
function UnitPage() {
  const { code } = routeApi.useParams();
  const { at } = routeApi.useSearch();
  const history = useQuery(unitHistoryQuery(code, at));

  if (history.isPending) return <LoadingState />;
  if (history.isError) {
    const error = history.error;
    if (
      error instanceof ApiError &&
      (error.code === "unit_not_found" || error.code === "unit_not_found_at_date")
    ) {
      return <UnitNotFound code={code} at={at} error={error} />;
    }
    return <ErrorState error={error} onRetry={() => history.refetch()} />;
  }
  return <UnitDetails history={history.data} at={at} />;
}

function UnitDetails({ history, at }: { history: UnitHistory; at: string | undefined }) {
  const { t, kindLabel, levelLabel, eventKindLabel, validityRange } = useUnitText();
  const lineage = useAnalyticsText();
  const unit = history.selected;
  const lastDay = lastValidDay(unit);
  /** The date the page is about: the one asked for, else today for a current unit, else its last day. */
  const refDate = at ?? lastDay ?? todayInVietnam();
  const linkAt = at ?? versionAt(unit);
  const ancestors = [...unit.ancestors].reverse();
  const me = useQuery(meQuery());
  /** A signed-in person reaches the unit's figures on the dashboards (a current province or commune has them). */
  const hasFigures =
    Boolean(me.data?.user) && unit.isCurrent && (unit.level === "province" || unit.level === "commune");
  /** Shares of partial edges: a system administrator, or a province administrator (the server checks the province). */
  const role = me.data?.user?.role;
  const canDeclareShares = role === "system_admin" || role === "province_admin";

  useEffect(() => {
    document.title = `${unit.name} (${unit.code}) — Grassroots`;
  }, [unit.name, unit.code]);

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Breadcrumbs
          component="nav"
          aria-label={t("unit.breadcrumb")}
          separator="›"
          separatorMargin={6}
          style={{ flexWrap: "wrap", rowGap: 4 }}
        >
          <AnchorLink to="/units" search={at ? { at } : {}} size="sm">
            {t("unit.backToList")}
          </AnchorLink>
          {ancestors.map((a) => (
            <AnchorLink
              key={a.code}
              to="/units/$code"
              params={{ code: a.code }}
              search={linkAt ? { at: linkAt } : {}}
              size="sm"
            >
              {a.name}
            </AnchorLink>
          ))}
        </Breadcrumbs>
        <Title order={1}>{unit.name}</Title>
        <Group gap="xs" wrap="wrap">
          <Badge variant="outline" color="gray">
            {kindLabel(unit.kind)}
          </Badge>
          <Badge variant="outline" color="gray">
            {t("unit.code", { code: unit.code })}
          </Badge>
          <StatusBadge version={unit} showCurrent />
          <IllustrativeBadge version={unit} />
          {hasFigures && (
            <AnchorLink to="/dashboard/units/$code" params={{ code: unit.code }} search={{}} size="sm">
              {t("unit.figures")}
            </AnchorLink>
          )}
        </Group>
        <dl className={common.definitions}>
          <dt>{t("unit.level")}</dt>
          <dd>{levelLabel(unit.level)}</dd>
          <dt>{t("validity.label")}</dt>
          <dd>{validityRange(unit)}</dd>
          <dt>{t("unit.partOf")}</dt>
          <dd>
            {ancestors.length === 0
              ? t("unit.noParent")
              : ancestors.map((a, index) => (
                  <span key={a.code}>
                    {index > 0 && " › "}
                    <AnchorLink
                      to="/units/$code"
                      params={{ code: a.code }}
                      search={linkAt ? { at: linkAt } : {}}
                    >
                      {a.name}
                    </AnchorLink>
                  </span>
                ))}
          </dd>
          {unit.openedBy && (
            <>
              <dt>{t("unit.legalBasis")}</dt>
              <dd>
                <EventSummary event={unit.openedBy} />
              </dd>
            </>
          )}
        </dl>
      </Stack>

      {lastDay && (
        <Alert color="orange" variant="light" title={t("unit.endedAlertTitle")}>
          {unit.successors.length === 0 && unit.level !== "village" && unit.level !== "commune"
            ? lineage.t("lineage.endedAlert", { date: formatDay(lastDay) })
            : t("unit.endedAlert", { date: formatDay(lastDay) })}
          {unit.closedBy && (
            <>
              {" "}
              {t("unit.endedBy", {
                what: [eventKindLabel(unit.closedBy.kind), unit.closedBy.document].filter(Boolean).join(", "),
              })}
            </>
          )}
        </Alert>
      )}
      {isIllustrative(unit) && (
        <Alert color="yellow" variant="light" title={t("status.illustrative")}>
          {t("status.illustrativeHint")}
        </Alert>
      )}

      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 5 }} order={{ base: 1, md: 2 }}>
          <CodeHistory code={history.code} versions={history.versions} selected={unit} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }} order={{ base: 2, md: 1 }}>
          <Stack gap="xl">
            <LineageSection
              heading={t("unit.formedFromHeading")}
              direction="from"
              links={unit.predecessors}
              emptyText={t("unit.formedFromNone")}
              here={unit.name}
              canDeclareShares={canDeclareShares}
            />
            {lastDay &&
            unit.successors.length === 0 &&
            unit.level !== "village" &&
            unit.level !== "commune" ? (
              <ChildrenSuccessors code={unit.code} lastDay={lastDay} headingText={t("unit.becameHeading")} />
            ) : (
              (unit.successors.length > 0 || !unit.isCurrent) && (
                <LineageSection
                  heading={t("unit.becameHeading")}
                  direction="to"
                  links={unit.successors}
                  emptyText={t("unit.becameNone")}
                  here={unit.name}
                  canDeclareShares={canDeclareShares}
                />
              )
            )}
            {unit.level !== "village" && <Children code={unit.code} date={refDate} linkAt={linkAt} />}
          </Stack>
        </Grid.Col>
      </Grid>
      {hasFigures && unit.level === "commune" && <UnitSessionsSection code={unit.code} />}
    </Stack>
  );
}

function Children({ code, date, linkAt }: { code: string; date: string; linkAt: string | undefined }) {
  const { t } = useUnitText();
  const children = useQuery(unitChildrenQuery(code, date));
  const heading = t("unit.childrenHeading", { date: formatDay(date) });
  return (
    <Stack gap="sm" component="section" aria-labelledby="children-heading">
      <Title order={2} size="h3" id="children-heading">
        {heading}
      </Title>
      {children.isPending && <LoadingState />}
      {children.isError && <ErrorState error={children.error} onRetry={() => children.refetch()} />}
      {children.data &&
        (children.data.items.length === 0 ? (
          <Text c="dimmed">{t("unit.childrenNone")}</Text>
        ) : (
          <UnitTable
            caption={heading}
            units={children.data.items}
            renderName={(child) => (
              <AnchorLink
                to="/units/$code"
                params={{ code: child.code }}
                search={linkAt ? { at: linkAt } : {}}
                fw={600}
              >
                {child.name}
              </AnchorLink>
            )}
          />
        ))}
    </Stack>
  );
}
