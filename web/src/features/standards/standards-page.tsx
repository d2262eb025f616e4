import {
  Button,
  Group,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useEffect, useId, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { unitChildrenQuery } from "../../api/units.ts";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import {
  exportHref,
  type FrameworkSummary,
  frameworksQuery,
  overviewQuery,
  type ProvinceSummary,
} from "./api.ts";
import { FrameworkNotes, Pickers, useWholeProjection } from "./parts.tsx";
import "./mantine-styles.ts";
import classes from "./standards.module.css";
import { defaultFramework, defaultYear, useStandardsText } from "./use-standards-text.ts";

export const Route = createLazyRoute("/standards")({ component: StandardsPage });

const routeApi = getRouteApi("/standards");

/** /standards: a province's communes against a standard — share meeting it, distribution, closest, most missed. */
function StandardsPage() {
  const { t } = useStandardsText();
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const frameworks = useQuery(frameworksQuery());
  const isSystemAdmin = user?.role === "system_admin";
  const scope = user?.scope ?? null;

  useEffect(() => {
    document.title = `${t("title")} — Grassroots`;
  }, [t]);

  const items = frameworks.data?.items ?? [];
  const framework = items.find((f) => f.code === search.framework) ?? defaultFramework(items);
  const year = search.year ? Number(search.year) : defaultYear();
  const root = isSystemAdmin ? search.unit : scope?.level === "province" ? scope.code : undefined;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t("title")}</Title>
        <Text c="dimmed">{t("intro")}</Text>
      </Stack>
      {frameworks.isPending && <LoadingState />}
      {frameworks.isError && <ErrorState error={frameworks.error} onRetry={() => frameworks.refetch()} />}
      {framework && (
        <Stack gap="sm">
          <Pickers
            frameworks={items}
            framework={framework.code}
            year={year}
            onChange={(next) => navigate({ search: (prev) => ({ ...prev, ...next }), replace: true })}
            extra={
              isSystemAdmin && (
                <ProvinceSelect
                  value={search.unit ?? null}
                  onChange={(unit) => navigate({ search: (prev) => ({ ...prev, unit: unit ?? undefined }) })}
                />
              )
            }
          />
          <FrameworkNotes framework={framework} year={year} />
          <OpenScorecard
            framework={framework.code}
            year={year}
            defaultCode={scope?.level === "commune" ? scope.code : ""}
          />
        </Stack>
      )}
      {framework && user && root && <Overview framework={framework} root={root} year={year} />}
      {framework && user && !root && (
        <Text>{isSystemAdmin ? t("pickProvince") : scope ? null : t("noScope")}</Text>
      )}
    </Stack>
  );
}

function ProvinceSelect({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (code: string | null) => void;
}) {
  const { t } = useStandardsText();
  const provinces = useQuery(unitChildrenQuery(undefined, todayInVietnam()));
  return (
    <Select
      label={t("province")}
      placeholder={t("provincePlaceholder")}
      data={(provinces.data?.items ?? []).map((u) => ({ value: u.code, label: `${u.name} (${u.code})` }))}
      value={value}
      onChange={onChange}
      searchable
      w={{ base: "100%", sm: 320 }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** A commune code to open its scorecard directly (a commune officer's own commune is filled in). */
function OpenScorecard({
  framework,
  year,
  defaultCode,
}: {
  framework: string;
  year: number;
  defaultCode: string;
}) {
  const { t } = useStandardsText();
  const navigate = useNavigate();
  const [code, setCode] = useState(defaultCode);
  const isValid = /^\d{5}$/.test(code.trim());
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (isValid)
          void navigate({
            to: "/standards/communes/$code",
            params: { code: code.trim() },
            search: { framework, year: String(year) },
          });
      }}
    >
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t("colCommune")}
          placeholder="04168"
          description={t("communeNotFound")}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          inputMode="numeric"
          maxLength={5}
          w={{ base: "100%", sm: 260 }}
        />
        <Button type="submit" variant="light" disabled={!isValid}>
          {t("openScorecard")}
        </Button>
      </Group>
    </form>
  );
}

function Overview({ framework, root, year }: { framework: FrameworkSummary; root: string; year: number }) {
  const { t, number, language } = useStandardsText();
  const query = useQuery({ ...overviewQuery(framework.code, root, year), placeholderData: keepPreviousData });
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const s = query.data;
  return (
    <Stack gap="xl">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>{s.unit.name}</Title>
        <Group gap="xs">
          <Button
            component="a"
            variant="default"
            href={exportHref("overview", framework.code, root, year, "xlsx", language)}
          >
            {t("exportXlsx")}
          </Button>
          <Button
            component="a"
            variant="default"
            href={exportHref("overview", framework.code, root, year, "pdf", language)}
          >
            {t("exportPdf")}
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md" component="article" aria-label={t("share")}>
          <Text size="sm" fw={600}>
            {t("share")}
          </Text>
          <Text fz={32} fw={700} c="teal.9" className={classes.figure}>
            {number(s.sharePct, 1)}&nbsp;%
          </Text>
          <Text size="sm">{t("shareValue", { met: s.met, total: s.communes })}</Text>
          <Text size="sm" c="dimmed">
            {s.programmeTargetPct === null
              ? t("noTarget")
              : t("target", { value: `${number(s.programmeTargetPct, 1)}\u00a0%` })}
          </Text>
          {s.programmeTargetPct !== null && (
            <Progress.Root size="lg" mt="xs" aria-label={t("share")}>
              <Progress.Section value={Math.min(100, s.sharePct)} color="teal" />
            </Progress.Root>
          )}
        </Paper>
        <Paper withBorder p="md" radius="md" component="article" aria-label={t("judged")}>
          <Text size="sm" fw={600}>
            {t("judged")}
          </Text>
          <Text fz={32} fw={700} className={classes.figure}>
            {t("judgedValue", { judged: s.judged, total: s.communes })}
          </Text>
          <Text size="sm" c="dimmed">
            {t("judgedHint")}
          </Text>
        </Paper>
      </SimpleGrid>
      <Distribution summary={s} />
      <Closest summary={s} framework={framework.code} />
      <MostMissed summary={s} />
    </Stack>
  );
}

function Distribution({ summary }: { summary: ProvinceSummary }) {
  const { t } = useStandardsText();
  const headingId = useId();
  const max = Math.max(1, ...summary.distribution.map((d) => d.communes));
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} id={headingId}>
        {t("distribution")}
      </Title>
      <ul className={classes.bars}>
        {[...summary.distribution].reverse().map((d) => (
          <li key={d.criteriaMet} className={classes.barRow}>
            <span className={classes.barLabel}>{t("distributionRow", { count: d.criteriaMet })}</span>
            <span className={classes.barTrack} aria-hidden="true">
              <span className={classes.bar} style={{ width: `${(d.communes / max) * 100}%` }} />
            </span>
            <span className={classes.barValue}>{d.communes}</span>
            {d.withUnknown > 0 && (
              <Text span size="xs" c="dimmed" className={classes.barNote}>
                {t("distributionUnknown", { count: d.withUnknown })}
              </Text>
            )}
          </li>
        ))}
      </ul>
    </Stack>
  );
}

function Closest({ summary, framework }: { summary: ProvinceSummary; framework: string }) {
  const { t } = useStandardsText();
  const whole = useWholeProjection();
  const headingId = useId();
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} id={headingId}>
        {t("closest")}
      </Title>
      {summary.closest.length === 0 ? (
        <Text>{t("closestNone")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table className={common.table} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("colCommune")}</Table.Th>
                <Table.Th scope="col">{t("colMet")}</Table.Th>
                <Table.Th scope="col">{t("colProjection")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {summary.closest.map((c) => {
                const e = summary.evaluations.find((x) => x.unit.code === c.code);
                return (
                  <Table.Tr key={c.code}>
                    <Table.Th scope="row">
                      <AnchorLink
                        to="/standards/communes/$code"
                        params={{ code: c.code }}
                        search={{ framework, year: String(summary.year) }}
                        aria-label={t("openScorecardOf", { name: c.name })}
                      >
                        {c.name}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {c.communeGroup === null
                          ? t("groupNone")
                          : t("groupValue", { group: c.communeGroup })}
                      </Text>
                    </Table.Th>
                    <Table.Td className={classes.figure}>
                      {c.metCount}/{summary.framework.criteriaCount}
                      {c.noData > 0 && (
                        <Text size="xs" c="dimmed">
                          {t("noDataCount", { count: c.noData })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{e ? whole(e) : ""}</Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function MostMissed({ summary }: { summary: ProvinceSummary }) {
  const { t, name } = useStandardsText();
  const headingId = useId();
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} id={headingId}>
        {t("mostMissed")}
      </Title>
      <Table.ScrollContainer minWidth={320}>
        <Table className={common.table} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("colCriterion")}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t("colCommunesNotMet")}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t("colCommunesNoData")}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.mostMissed.map((m) => (
              <Table.Tr key={m.code}>
                <Table.Th scope="row" fw={400}>
                  {name(m)}
                </Table.Th>
                <Table.Td ta="right" className={classes.figure}>
                  {m.notMet}
                </Table.Td>
                <Table.Td ta="right" className={classes.figure}>
                  {m.noData}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
