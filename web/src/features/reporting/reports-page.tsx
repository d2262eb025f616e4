import { Alert, Badge, Grid, Group, NativeSelect, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { type FormSummary, formsQuery, statusQuery } from "./api.ts";
import { targetKey } from "./offline-queue.ts";
import { defaultPeriod, FormSelect, PeriodSelect } from "./pickers.tsx";
import classes from "./reporting.module.css";
import { useQueuedValues } from "./use-entry-store.ts";
import { statusColors, useReportingText } from "./use-reporting-text.ts";

export const Route = createLazyRoute("/reports")({ component: ReportsPage });

const routeApi = getRouteApi("/reports");

/** /reports?form&unit&period: pick what to report on, then enter data or see who has reported. */
function ReportsPage() {
  const { t } = useReportingText();
  const forms = useQuery(formsQuery());

  useEffect(() => {
    document.title = `${t("picker.title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t("picker.title")}</Title>
        <Text c="dimmed">{t("picker.intro")}</Text>
      </div>
      <WaitingElsewhere />
      {forms.isPending && <LoadingState />}
      {forms.isError && <ErrorState error={forms.error} onRetry={() => forms.refetch()} />}
      {forms.data &&
        (forms.data.items.length === 0 ? (
          <Text>{t("picker.noForms")}</Text>
        ) : (
          <Picker forms={forms.data.items} />
        ))}
    </Stack>
  );
}

function Picker({ forms }: { forms: FormSummary[] }) {
  const { t, name, statusLabel } = useReportingText();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const form = forms.find((f) => f.code === search.form) ?? forms[0];
  const period = search.period ?? (form ? defaultPeriod(form.periodType) : "");
  // Units by name, with their status: the status list gives both for the units in scope in that period.
  const status = useQuery({ ...statusQuery(form?.code ?? "", period), enabled: form !== undefined });
  const rows = status.data?.rows ?? [];
  const unit = rows.find((r) => r.unit.code === search.unit) ?? rows[0];
  if (!form) return null;

  const change = (next: { form?: string; unit?: string; period?: string }) =>
    navigate({ search: (prev) => ({ ...prev, ...next }), replace: true });

  return (
    <Paper withBorder p="md">
      <Stack gap="md">
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <FormSelect
              forms={forms}
              value={form.code}
              onChange={(code) => change({ form: code, unit: undefined, period: undefined })}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            <NativeSelect
              label={t("picker.unit")}
              value={unit?.unit.code ?? ""}
              disabled={rows.length === 0}
              onChange={(event) => change({ unit: event.currentTarget.value })}
              data={rows.map((r) => ({ value: r.unit.code, label: r.unit.name }))}
              size="md"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            <PeriodSelect
              type={form.periodType}
              value={period}
              onChange={(code) => change({ period: code })}
              withHint
            />
          </Grid.Col>
        </Grid>
        {form.isIllustrative && (
          <Alert color="yellow" variant="light" title={t("illustrative")} p="xs">
            <Text size="sm">{t("illustrativeHint")}</Text>
          </Alert>
        )}
        {status.isPending && <LoadingState />}
        {status.isError && <ErrorState error={status.error} onRetry={() => status.refetch()} />}
        {status.data && rows.length === 0 && <Text>{t("picker.noUnits")}</Text>}
        {unit && (
          <Group gap="sm" wrap="wrap">
            <Text fw={600}>{`${unit.unit.name} — ${name(form)}`}</Text>
            <Badge variant="light" color={statusColors[unit.status]}>
              {t("picker.currentStatus", { status: statusLabel(unit.status) })}
            </Badge>
          </Group>
        )}
        <Group gap="sm">
          {unit && (
            <ButtonLink
              to="/reports/entry"
              search={{ form: form.code, unit: unit.unit.code, period }}
              size="md"
            >
              {t("picker.openEntry")}
            </ButtonLink>
          )}
          <ButtonLink to="/reports/status" search={{ form: form.code, period }} size="md" variant="default">
            {t("picker.openStatus")}
          </ButtonLink>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Values typed offline for some report and never sent: a link to each report, where they are sent from. */
function WaitingElsewhere() {
  const { t } = useReportingText();
  const queued = useQueuedValues();
  if (queued.length === 0) return null;
  const targets = [...new Map(queued.map((v) => [targetKey(v), v])).values()];
  return (
    <Alert color="orange" variant="light" role="status">
      <Stack gap={4}>
        <Text size="sm">{t("picker.waitingElsewhere", { count: queued.length })}</Text>
        <ul className={classes.queueList}>
          {targets.map((v) => (
            <li key={targetKey(v)}>
              <AnchorLink
                to="/reports/entry"
                search={{ form: v.form, unit: v.unit, period: v.period }}
                size="sm"
              >
                {t("picker.openWaiting", { unit: v.unitName, period: v.period })}
              </AnchorLink>
            </li>
          ))}
        </ul>
      </Stack>
    </Alert>
  );
}
