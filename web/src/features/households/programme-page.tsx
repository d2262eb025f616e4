import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import type { User } from "../../api/types.ts";
import { DayInput } from "../../components/day-input.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import "./mantine-styles.ts";
import { benefitText, ProgrammeForm, programmeFields, rulesText } from "./programme-form.tsx";
import { createCycle, type ProgrammeView, programmeQuery, updateProgramme } from "./support-api.ts";
import { SupportLinks } from "./support-links.tsx";
import { manages } from "./support-roles.ts";
import { useSupportText } from "./use-support-text.ts";

export const Route = createLazyRoute("/households/support/$id")({ component: ProgrammePage });
const routeApi = getRouteApi("/households/support/$id");

/** /households/support/:id — a programme, its rule and benefit, and its cycles per commune. */
function ProgrammePage() {
  const id = Number(routeApi.useParams().id);
  const programme = useQuery(programmeQuery(id));
  const me = useQuery(meQuery());
  useEffect(() => {
    if (programme.data) document.title = `${programme.data.name} — Grassroots`;
  }, [programme.data]);
  if (programme.isPending) return <LoadingState />;
  if (programme.isError) return <ErrorState error={programme.error} onRetry={() => programme.refetch()} />;
  return <Programme p={programme.data} user={me.data?.user ?? null} />;
}

/** A province's people change the province's and its communes' programmes; a commune's, its own. */
function mayEdit(user: User | null, p: ProgrammeView): boolean {
  if (!user || !manages(user.role)) return false;
  if (user.scope === null) return true;
  return user.scope.code === p.unitCode || (user.scope.level === "province" && p.unitCode.length > 2);
}

function Programme({ p, user }: { p: ProgrammeView; user: User | null }) {
  const { t, money } = useSupportText();
  const queryClient = useQueryClient();
  const [isEditing, setEditing] = useState(false);
  const save = useMutation({
    mutationFn: (fields: Parameters<typeof updateProgramme>[1]) => updateProgramme(p.id, fields),
    onSuccess: async () => {
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: ["support-programme", p.id] });
      await queryClient.invalidateQueries({ queryKey: ["support-programmes"] });
    },
  });
  const editable = mayEdit(user, p);
  return (
    <Stack gap="lg">
      <SupportLinks here="programmes" unit={user?.scope?.code ?? p.unitCode} />
      <div>
        <AnchorLink to="/households/support" search={{ unit: user?.scope?.code ?? p.unitCode }}>
          {t("back")}
        </AnchorLink>
        <Title order={1}>{p.name}</Title>
      </div>
      {isEditing ? (
        <ProgrammeForm
          unit={p.unitCode}
          initial={programmeFields(p)}
          title={t("form.edit")}
          submitLabel={t("form.save")}
          onSubmit={(fields) => save.mutate({ ...fields, expectedVersion: p.version })}
          onCancel={() => setEditing(false)}
          isPending={save.isPending}
          error={save.error}
        />
      ) : (
        <Paper withBorder p="md">
          <Stack gap={4}>
            <Text>{t("programme.funder", { funder: p.funder })}</Text>
            <Text>{t("programme.eligibility", { rules: rulesText(t, p) })}</Text>
            <Text>{t("programme.benefit", { benefit: benefitText(t, money, p) })}</Text>
            {editable ? (
              <Group mt="xs">
                <Button variant="default" onClick={() => setEditing(true)}>
                  {t("form.edit")}
                </Button>
              </Group>
            ) : (
              user?.role !== "viewer" && (
                <Text size="sm" c="dimmed">
                  {t("programme.readOnly")}
                </Text>
              )
            )}
          </Stack>
        </Paper>
      )}
      <Cycles p={p} />
      {manages(user?.role) && <NewCycle p={p} user={user} />}
    </Stack>
  );
}

function Cycles({ p }: { p: ProgrammeView }) {
  const { t, day, number } = useSupportText();
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t("programme.cycles")}
      </Title>
      {p.cycles.length === 0 ? (
        <Text c="dimmed">{t("programme.noCycles")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("programme.cycleName")}</Table.Th>
                <Table.Th>{t("programme.commune")}</Table.Th>
                <Table.Th>{t("programme.date")}</Table.Th>
                <Table.Th>{t("programme.status")}</Table.Th>
                <Table.Th ta="right">{t("programme.progress")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.cycles.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <AnchorLink to="/households/cycles/$id" params={{ id: String(c.id) }} fw={600}>
                      {c.name}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>{c.communeName ?? c.communeCode}</Table.Td>
                  <Table.Td>{day(c.eligibilityDate)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`status.${c.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td ta="right">
                    {number(c.delivered)}/{number(c.listed)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** Opens a cycle for a commune under the programme's unit, eligibility as of a date; then goes to its list. */
function NewCycle({ p, user }: { p: ProgrammeView; user: User | null }) {
  const { t } = useSupportText();
  const navigate = useNavigate();
  const ownCommune = user?.scope?.level === "commune" ? user.scope.code : undefined;
  const [name, setName] = useState("");
  const [commune, setCommune] = useState(ownCommune ?? (p.unitCode.length > 2 ? p.unitCode : ""));
  const [date, setDate] = useState<string | null>(todayInVietnam());
  const create = useMutation({
    mutationFn: () =>
      createCycle({
        programmeId: p.id,
        name: name.trim(),
        communeCode: commune.trim(),
        eligibilityDate: date ?? "",
      }),
    onSuccess: (made) => navigate({ to: "/households/cycles/$id", params: { id: String(made.id) } }),
  });
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t("programme.newCycle")}
          </Title>
          <Group grow align="start" wrap="wrap">
            <TextInput
              label={t("programme.cycleName")}
              placeholder={t("programme.cycleNamePlaceholder")}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              required
              miw={180}
            />
            {!ownCommune && (
              <TextInput
                label={t("programme.communeCode")}
                value={commune}
                onChange={(e) => setCommune(e.currentTarget.value)}
                required
                miw={120}
              />
            )}
            <DayInput label={t("programme.eligibilityDate")} value={date} onChange={setDate} />
          </Group>
          {create.isError && <ErrorState error={create.error} />}
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!date}>
              {t("programme.openCycle")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
