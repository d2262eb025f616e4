import { Alert, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import "./mantine-styles.ts";
import { benefitText, ProgrammeForm, programmeFields, rulesText } from "./programme-form.tsx";
import { createProgramme, type ProgrammeSummary, programmesQuery } from "./support-api.ts";
import { SupportLinks } from "./support-links.tsx";
import { manages } from "./support-roles.ts";
import { useSupportText } from "./use-support-text.ts";

export const Route = createLazyRoute("/households/support")({ component: ProgrammesPage });
const routeApi = getRouteApi("/households/support");

/** /households/support?unit — the support programmes a province or commune runs or takes part in. */
function ProgrammesPage() {
  const { t } = useSupportText();
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const unit = search.unit ?? user?.scope?.code;
  const [isCreating, setCreating] = useState(search.disaster !== undefined);

  useEffect(() => {
    document.title = `${t("programmes.title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <SupportLinks here="programmes" unit={unit} />
      <div>
        <Title order={1}>{t("programmes.title")}</Title>
        <Text c="dimmed">{t("programmes.intro")}</Text>
      </div>
      {(!user?.scope || user.scope.level === "province") && (
        <TextInput
          key={unit ?? ""}
          label={t("unit")}
          description={t("unitHint")}
          defaultValue={unit ?? ""}
          maw={240}
          onBlur={(e) =>
            navigate({ search: (s) => ({ ...s, unit: e.currentTarget.value.trim() || undefined }) })
          }
        />
      )}
      {unit && manages(user?.role) && !isCreating && (
        <Group>
          <Button onClick={() => setCreating(true)}>{t("programmes.create")}</Button>
        </Group>
      )}
      {unit && isCreating && (
        <CreateProgramme unit={unit} disasterId={search.disaster} onClose={() => setCreating(false)} />
      )}
      {unit && <Programmes unit={unit} />}
    </Stack>
  );
}

function CreateProgramme({
  unit,
  disasterId,
  onClose,
}: {
  unit: string;
  disasterId: number | undefined;
  onClose: () => void;
}) {
  const { t } = useSupportText();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (fields: Parameters<typeof createProgramme>[0]) => createProgramme(fields),
    onSuccess: async (made) => {
      await queryClient.invalidateQueries({ queryKey: ["support-programmes"] });
      await navigate({ to: "/households/support/$id", params: { id: String(made.id) } });
    },
  });
  return (
    <ProgrammeForm
      unit={unit}
      initial={programmeFields(undefined, disasterId)}
      title={t("programmes.create")}
      submitLabel={t("form.create")}
      onSubmit={(fields) => create.mutate({ ...fields, unitCode: unit })}
      onCancel={onClose}
      isPending={create.isPending}
      error={create.error}
    />
  );
}

function Programmes({ unit }: { unit: string }) {
  const { t } = useSupportText();
  const list = useQuery(programmesQuery(unit));
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  if (list.data.items.length === 0) return <Alert>{t("programmes.none")}</Alert>;
  return (
    <Stack gap="sm">
      {list.data.items.map((p) => (
        <ProgrammeCard key={p.id} p={p} />
      ))}
    </Stack>
  );
}

function ProgrammeCard({ p }: { p: ProgrammeSummary }) {
  const { t, money, number } = useSupportText();
  return (
    <Paper withBorder p="sm" data-testid={`programme-${p.id}`}>
      <Group justify="space-between" align="start" wrap="wrap" gap="xs">
        <Stack gap={2} style={{ flex: "1 1 320px", minWidth: 0 }}>
          <AnchorLink to="/households/support/$id" params={{ id: String(p.id) }} fw={600}>
            {p.name}
          </AnchorLink>
          <Text size="sm">{t("programme.funder", { funder: p.funder })}</Text>
          <Text size="sm">{t("programme.eligibility", { rules: rulesText(t, p) })}</Text>
          <Text size="sm">{t("programme.benefit", { benefit: benefitText(t, money, p) })}</Text>
        </Stack>
        <Stack gap={4} align="flex-start">
          <Badge variant="light">{t("programmes.runBy", { unit: p.unitName ?? p.unitCode })}</Badge>
          <Text size="sm" c="dimmed">
            {t("programmes.counts", {
              cycles: number(p.cycles),
              delivered: number(p.delivered),
              listed: number(p.listed),
            })}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
