import { Badge, Breadcrumbs, Grid, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { formatDateTime, formatDay } from "../../lib/dates.ts";
import { type FormSummary, formsQuery, type StatusRow, statusQuery, type Timeliness } from "./api.ts";
import { defaultPeriod, FormSelect, PeriodSelect } from "./pickers.tsx";
import classes from "./reporting.module.css";
import { statusColors, timelinessColors, useReportingText } from "./use-reporting-text.ts";

export const Route = createLazyRoute("/reports/status")({ component: StatusPage });

const routeApi = getRouteApi("/reports/status");

const statusOrder = ["not_started", "draft", "returned", "submitted", "approved"] as const;
const timelinessOrder: readonly Timeliness[] = ["on_time", "late", "overdue", "pending"];

/** /reports/status?form&period: which units have reported, on time or not, with a link to each one's figures. */
function StatusPage() {
  const { t } = useReportingText();
  const forms = useQuery(formsQuery());

  useEffect(() => {
    document.title = `${t("statusView.title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Breadcrumbs separator="›" separatorMargin={6}>
          <AnchorLink to="/reports" size="sm">
            {t("entry.back")}
          </AnchorLink>
        </Breadcrumbs>
        <Title order={1}>{t("statusView.title")}</Title>
      </Stack>
      {forms.isPending && <LoadingState />}
      {forms.isError && <ErrorState error={forms.error} onRetry={() => forms.refetch()} />}
      {forms.data &&
        (forms.data.items.length === 0 ? (
          <Text>{t("picker.noForms")}</Text>
        ) : (
          <StatusView forms={forms.data.items} />
        ))}
    </Stack>
  );
}

function StatusView({ forms }: { forms: FormSummary[] }) {
  const { t, name, periodLabel, statusLabel, timelinessLabel } = useReportingText();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const form = forms.find((f) => f.code === search.form) ?? forms[0];
  const period = search.period ?? (form ? defaultPeriod(form.periodType) : "");
  const status = useQuery({ ...statusQuery(form?.code ?? "", period), enabled: form !== undefined });
  if (!form) return null;
  const change = (next: { form?: string; period?: string }) =>
    navigate({ search: (prev) => ({ ...prev, ...next }), replace: true });
  const rows = status.data?.rows ?? [];
  const heading = t("statusView.heading", { form: name(form), period: periodLabel(period, form.periodType) });

  return (
    <Stack gap="md">
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <FormSelect
            forms={forms}
            value={form.code}
            onChange={(code) => change({ form: code, period: undefined })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <PeriodSelect type={form.periodType} value={period} onChange={(code) => change({ period: code })} />
        </Grid.Col>
      </Grid>
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          <Title order={2} size="h3">
            {heading}
          </Title>
          {form.isIllustrative && (
            <Badge color="yellow.4" variant="filled" autoContrast title={t("illustrativeHint")}>
              {t("illustrative")}
            </Badge>
          )}
        </Group>
        {status.data && (
          <Text fw={600}>{t("statusView.deadline", { date: formatDay(status.data.deadline) })}</Text>
        )}
      </Stack>
      {status.isPending && <LoadingState />}
      {status.isError && <ErrorState error={status.error} onRetry={() => status.refetch()} />}
      {status.data &&
        (rows.length === 0 ? (
          <Text>{t("statusView.empty")}</Text>
        ) : (
          <>
            <Summary rows={rows} />
            <Table.ScrollContainer minWidth={320}>
              <Table striped highlightOnHover className={common.table} verticalSpacing="xs">
                <Table.Caption>{t("statusView.caption")}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("statusView.colUnit")}</Table.Th>
                    <Table.Th>{t("statusView.colStatus")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("statusView.colSubmittedAt")}</Table.Th>
                    <Table.Th>{t("statusView.colTimeliness")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((row) => (
                    <Table.Tr key={row.unit.code}>
                      <Table.Td>
                        <AnchorLink
                          to="/reports/entry"
                          search={{ form: form.code, unit: row.unit.code, period }}
                          fw={600}
                          aria-label={t("statusView.openOf", { name: row.unit.name })}
                        >
                          {row.unit.name}
                        </AnchorLink>
                        <Text size="xs" c="dimmed" className={classes.number}>
                          {row.unit.code}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={statusColors[row.status]}>
                          {statusLabel(row.status)}
                        </Badge>
                        {row.submittedAt && (
                          <Text size="xs" c="dimmed" hiddenFrom="sm" className={classes.number}>
                            {formatDateTime(row.submittedAt)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td visibleFrom="sm" className={classes.number}>
                        {row.submittedAt ? formatDateTime(row.submittedAt) : "—"}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={timelinessColors[row.timeliness]}>
                          {timelinessLabel(row.timeliness)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        ))}
    </Stack>
  );
}

/** How many units are at each status and how many came on time: what a province officer looks at first. */
function Summary({ rows }: { rows: StatusRow[] }) {
  const { t, statusLabel, timelinessLabel } = useReportingText();
  const count = <K extends string>(key: (r: StatusRow) => K, value: K) =>
    rows.filter((r) => key(r) === value).length;
  return (
    <Paper withBorder p="sm" component="section" aria-label={t("statusView.summary")}>
      <Stack gap="xs">
        <Text fw={600}>{t("statusView.total", { count: rows.length })}</Text>
        <Group gap="xs" wrap="wrap">
          {statusOrder.map((s) => (
            <Badge key={s} variant="outline" color={statusColors[s]} size="lg">
              {`${statusLabel(s)}: ${count((r) => r.status, s)}`}
            </Badge>
          ))}
        </Group>
        <Group gap="xs" wrap="wrap">
          {timelinessOrder.map((s) => (
            <Badge key={s} variant="light" color={timelinessColors[s]} size="lg">
              {`${timelinessLabel(s)}: ${count((r) => r.timeliness, s)}`}
            </Badge>
          ))}
        </Group>
      </Stack>
    </Paper>
  );
}
