import { Breadcrumbs, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import {
  type CriterionEvaluation,
  exportHref,
  type FrameworkSummary,
  frameworksQuery,
  type RequirementEvaluation,
  scorecardQuery,
} from "./api.ts";
import { GroupLine } from "./commune-group.tsx";
import { FrameworkNotes, Pickers, StateBadge, StatusBadge, useWholeProjection } from "./parts.tsx";
import "./mantine-styles.ts";
import classes from "./standards.module.css";
import { ThresholdDialog } from "./threshold-dialog.tsx";
import { defaultFramework, defaultYear, useStandardsText } from "./use-standards-text.ts";

export const Route = createLazyRoute("/standards/communes/$code")({ component: ScorecardPage });

const routeApi = getRouteApi("/standards/communes/$code");

/** /standards/communes/$code: one commune against a standard for a year, criterion by criterion. */
function ScorecardPage() {
  const { t } = useStandardsText();
  const { code } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const frameworks = useQuery(frameworksQuery());
  const items = frameworks.data?.items ?? [];
  const framework = items.find((f) => f.code === search.framework) ?? defaultFramework(items);
  const year = search.year ? Number(search.year) : defaultYear();

  useEffect(() => {
    document.title = `${t("scorecardTitle")} ${code} — Grassroots`;
  }, [t, code]);

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Breadcrumbs separator="›" separatorMargin={6}>
          <AnchorLink to="/standards" search={{ framework: framework?.code, year: String(year) }} size="sm">
            {t("back")}
          </AnchorLink>
        </Breadcrumbs>
        <Title order={1}>{t("scorecardTitle")}</Title>
      </Stack>
      {frameworks.isPending && <LoadingState />}
      {frameworks.isError && <ErrorState error={frameworks.error} onRetry={() => frameworks.refetch()} />}
      {framework && (
        <>
          <Pickers
            frameworks={items}
            framework={framework.code}
            year={year}
            onChange={(next) => navigate({ search: (prev) => ({ ...prev, ...next }), replace: true })}
          />
          <FrameworkNotes framework={framework} year={year} />
          <Scorecard framework={framework} code={code} year={year} />
        </>
      )}
    </Stack>
  );
}

function Scorecard({ framework, code, year }: { framework: FrameworkSummary; code: string; year: number }) {
  const { t, language } = useStandardsText();
  const whole = useWholeProjection();
  const me = useQuery(meQuery());
  const canManage = me.data?.user?.role === "system_admin" || me.data?.user?.role === "province_admin";
  const query = useQuery({
    ...scorecardQuery(framework.code, code, year),
    placeholderData: keepPreviousData,
  });
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const e = query.data.evaluation;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={2}>
          <Title order={2}>{e.unit.name}</Title>
          <GroupLine evaluation={e} canManage={canManage} />
        </Stack>
        <Group gap="xs">
          <Button
            component="a"
            variant="default"
            href={exportHref("scorecard", framework.code, code, year, "xlsx", language)}
          >
            {t("exportXlsx")}
          </Button>
          <Button
            component="a"
            variant="default"
            href={exportHref("scorecard", framework.code, code, year, "pdf", language)}
          >
            {t("exportPdf")}
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md" component="article">
          <Group gap="xs">
            <StateBadge state={e.standard} size="lg" />
          </Group>
          <Text fz={28} fw={700} mt={4} className={classes.figure}>
            {t("criteriaMet", { met: e.metCount, total: e.total })}
          </Text>
          <Text size="sm" c="dimmed">
            {[
              e.notMetCount > 0 ? t("notMetCount", { count: e.notMetCount }) : null,
              e.noDataCount > 0 ? t("noDataCount", { count: e.noDataCount }) : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </Text>
          <Text size="sm" mt="xs">
            {whole(e)}
          </Text>
        </Paper>
        <Paper withBorder p="md" radius="md" component="article">
          <Text size="sm" fw={600}>
            {t("coverage", { year, reported: e.coverage.reported, expected: e.coverage.expected })}
          </Text>
          {e.coverage.units.length > 0 && (
            <Text size="sm" c="dimmed">
              {t("coverageUnits", {
                names: e.coverage.units
                  .map((u) => `${u.name} (${u.code})${u.reported ? "" : " ✗"}`)
                  .join("; "),
              })}
            </Text>
          )}
        </Paper>
      </SimpleGrid>
      <Stack gap="sm">
        {e.criteria.map((c) => (
          <Criterion key={c.code} criterion={c} frameworkCode={framework.code} canManage={canManage} />
        ))}
      </Stack>
    </Stack>
  );
}

function Criterion({
  criterion,
  frameworkCode,
  canManage,
}: {
  criterion: CriterionEvaluation;
  frameworkCode: string;
  canManage: boolean;
}) {
  const { t, name } = useStandardsText();
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="section"
      className={classes.criterion}
      data-state={criterion.state}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Title order={3} size="h4">
          {criterion.position}. {name(criterion)}
        </Title>
        <StateBadge state={criterion.state} />
      </Group>
      {criterion.projectedYear !== null && (
        <Text size="sm" c="dimmed">
          {t("projection.year", { year: criterion.projectedYear })}
        </Text>
      )}
      {criterion.requirements.map((r) => (
        <Requirement
          key={r.requirementId}
          requirement={r}
          frameworkCode={frameworkCode}
          canManage={canManage}
        />
      ))}
    </Paper>
  );
}

function Requirement({
  requirement: r,
  frameworkCode,
  canManage,
}: {
  requirement: RequirementEvaluation;
  frameworkCode: string;
  canManage: boolean;
}) {
  const { t, name, measure, number } = useStandardsText();
  const [isEditing, setEditing] = useState(false);
  const yesNo = (v: number) => (v >= 1 ? t("yes") : t("no"));
  const cmp = r.comparison === ">=" ? "≥ " : r.comparison === "<=" ? "≤ " : "";
  const value = r.value === null ? "—" : r.isYesNo ? yesNo(r.value) : measure(r.value, r.unit);
  const threshold = r.threshold
    ? r.isYesNo
      ? yesNo(r.threshold.value)
      : `${cmp}${measure(r.threshold.value, r.unit)}`
    : "—";
  const p = r.projection;
  const pace =
    p === null
      ? ""
      : p.kind === "year"
        ? t("projection.year", { year: p.year })
        : p.kind === "not_at_this_pace"
          ? t("projection.not_at_this_pace")
          : t(`projection.${p.reason}`);
  return (
    <div className={classes.requirementBlock}>
      <Text fw={600} size="sm">
        {name(r)}
      </Text>
      <dl className={classes.requirement}>
        <div>
          <dt>{t("colValue")}</dt>
          <dd>
            {value}
            {r.incomplete && (
              <Text span size="xs" c="orange.9">
                {" "}
                ({t("incomplete")})
              </Text>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("colThreshold")}</dt>
          <dd>
            <Group gap={4} wrap="wrap">
              <span>{threshold}</span>
              {r.threshold && r.threshold.group !== "all" && (
                <Text span size="xs" c="dimmed">
                  (
                  {r.threshold.region
                    ? t("thresholdRegion", { region: name(r.threshold.region) })
                    : t(`thresholdGroup.${r.threshold.group}`)}
                  )
                </Text>
              )}
              {r.threshold && <StatusBadge status={r.threshold.status} />}
              {canManage && r.threshold && (
                <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)}>
                  {t("editThreshold")}
                </Button>
              )}
            </Group>
          </dd>
        </div>
        <div>
          <dt>{t("colResult")}</dt>
          <dd>
            <StateBadge state={r.state} />
            {r.reason && (
              <Text size="xs" c="dimmed">
                {t(`reason.${r.reason}`)}
              </Text>
            )}
          </dd>
        </div>
        {r.state === "not_met" && !r.isYesNo && r.gap !== null && (
          <div>
            <dt>{t("colGap")}</dt>
            <dd>{measure(r.gap, r.unit)}</dd>
          </div>
        )}
        {pace && (
          <div>
            <dt>{t("colPace")}</dt>
            <dd>
              {pace}
              {p && p.kind !== "cannot_project" && (
                <Text size="xs" c="dimmed">
                  {t("paceHint", {
                    years: p.basedOn.join(", "),
                    slope: `${p.slopePerYear > 0 ? "+" : ""}${number(p.slopePerYear)}${r.unit ? `\u00a0${r.unit}` : ""}`,
                  })}
                </Text>
              )}
            </dd>
          </div>
        )}
      </dl>
      {isEditing && r.threshold && (
        <ThresholdDialog requirement={r} frameworkCode={frameworkCode} onClose={() => setEditing(false)} />
      )}
    </div>
  );
}
