import {
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { DayInput } from "../../components/day-input.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import "./mantine-styles.ts";
import { createDisaster, type DisasterKind, disasterKinds, disastersQuery } from "./support-api.ts";
import { SupportLinks } from "./support-links.tsx";
import { manages } from "./support-roles.ts";
import { useSupportText } from "./use-support-text.ts";

export const Route = createLazyRoute("/households/disasters")({ component: DisastersPage });
const routeApi = getRouteApi("/households/disasters");

/** /households/disasters?unit — a province's disaster events (or those that struck a commune), and a new one. */
function DisastersPage() {
  const { t } = useSupportText();
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const unit = search.unit ?? user?.scope?.code;
  const [isCreating, setCreating] = useState(false);
  useEffect(() => {
    document.title = `${t("disasters.title")} — Grassroots`;
  }, [t]);
  return (
    <Stack gap="lg">
      <SupportLinks here="disasters" unit={unit} />
      <div>
        <Title order={1}>{t("disasters.title")}</Title>
        <Text c="dimmed">{t("disasters.intro")}</Text>
      </div>
      {!user?.scope && (
        <TextInput
          key={unit ?? ""}
          label={t("unit")}
          description={t("unitHint")}
          defaultValue={unit ?? ""}
          maw={240}
          onBlur={(e) => navigate({ search: { unit: e.currentTarget.value.trim() || undefined } })}
        />
      )}
      {unit && manages(user?.role) && !isCreating && (
        <Group>
          <Button onClick={() => setCreating(true)}>{t("disasters.create")}</Button>
        </Group>
      )}
      {unit && isCreating && <CreateDisaster unit={unit} onClose={() => setCreating(false)} />}
      {unit && <Events unit={unit} />}
    </Stack>
  );
}

function CreateDisaster({ unit, onClose }: { unit: string; onClose: () => void }) {
  const { t } = useSupportText();
  const navigate = useNavigate();
  const isProvince = unit.length <= 2;
  const [name, setName] = useState("");
  const [kind, setKind] = useState<DisasterKind>("flood");
  const [startedOn, setStartedOn] = useState<string | null>(null);
  const [endedOn, setEndedOn] = useState<string | null>(null);
  const [communes, setCommunes] = useState(isProvince ? "" : unit);
  const codes = communes
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter((c) => c !== "");
  const create = useMutation({
    mutationFn: () =>
      createDisaster({
        name: name.trim(),
        kind,
        startedOn: startedOn ?? "",
        endedOn,
        ...(isProvince ? { provinceCode: unit } : {}),
        unitCodes: codes,
      }),
    onSuccess: (made) => navigate({ to: "/households/disasters/$id", params: { id: String(made.id) } }),
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
            {t("disasters.create")}
          </Title>
          <TextInput
            label={t("disasters.name")}
            placeholder={t("disasters.namePlaceholder")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            maxLength={200}
          />
          <Group grow align="start" wrap="wrap">
            <NativeSelect
              label={t("disasters.kind")}
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as DisasterKind)}
              data={disasterKinds.map((k) => ({ value: k, label: t(`kindsDisaster.${k}`) }))}
              miw={150}
            />
            <DayInput label={t("disasters.startedOn")} value={startedOn} onChange={setStartedOn} />
            <DayInput label={t("disasters.endedOn")} value={endedOn} onChange={setEndedOn} />
          </Group>
          <TextInput
            label={t("disasters.communes")}
            placeholder={t("disasters.communesPlaceholder")}
            value={communes}
            onChange={(e) => setCommunes(e.currentTarget.value)}
            required
          />
          {create.isError && <ErrorState error={create.error} />}
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!startedOn || codes.length === 0}>
              {t("disasters.save")}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t("form.cancel")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Events({ unit }: { unit: string }) {
  const { t, day, number } = useSupportText();
  const events = useQuery(disastersQuery(unit.length <= 2 ? { province: unit } : { commune: unit }));
  if (events.isPending) return <LoadingState />;
  if (events.isError) return <ErrorState error={events.error} onRetry={() => events.refetch()} />;
  if (events.data.items.length === 0) return <Alert>{t("disasters.none")}</Alert>;
  return (
    <Stack gap="sm">
      {events.data.items.map((d) => (
        <Paper key={d.id} withBorder p="sm">
          <Group justify="space-between" wrap="wrap" gap="xs" align="start">
            <Stack gap={2}>
              <AnchorLink to="/households/disasters/$id" params={{ id: String(d.id) }} fw={600}>
                {d.name}
              </AnchorLink>
              <Text size="sm" c="dimmed">
                {d.endedOn
                  ? t("disasters.dates", { from: day(d.startedOn), to: day(d.endedOn) })
                  : t("disasters.from", { from: day(d.startedOn) })}
              </Text>
              <Text size="sm">
                {t("disasters.affected", {
                  households: number(d.households),
                  reported: number(d.communesReported),
                  communes: number(d.unitCodes.length),
                })}
              </Text>
            </Stack>
            <Badge variant="light" color="orange">
              {t(`kindsDisaster.${d.kind}`)}
            </Badge>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
