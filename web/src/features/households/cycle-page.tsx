import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import {
  type CycleList,
  cycleQuery,
  type EntitlementRow,
  reconciliationQuery,
  recordDistribution,
  transitionCycle,
} from "./api.ts";
import "./mantine-styles.ts";
import { useHouseholdsText } from "./use-households-text.ts";

export const Route = createLazyRoute("/households/cycles/$id")({ component: CyclePage });
const routeApi = getRouteApi("/households/cycles/$id");

/** /households/cycles/:id — a cycle's list, one card per household, made to be used on a phone on the day. */
function CyclePage() {
  const { t } = useHouseholdsText();
  const id = Number(routeApi.useParams().id);
  const list = useQuery(cycleQuery(id));
  useEffect(() => {
    if (list.data) document.title = `${list.data.cycle.programme.name} — Grassroots`;
  }, [list.data]);
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  return <Cycle list={list.data} t={t} />;
}

function Cycle({ list, t }: { list: CycleList; t: ReturnType<typeof useHouseholdsText>["t"] }) {
  const { number } = useHouseholdsText();
  const { cycle } = list;
  const me = useQuery(meQuery());
  const canAct = me.data?.user?.role === "commune_officer" || me.data?.user?.role === "system_admin";
  const totals = useQuery(reconciliationQuery(cycle.id));
  const queryClient = useQueryClient();
  const move = useMutation({
    mutationFn: (action: "submit" | "approve") => transitionCycle(cycle.id, action, cycle.version),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["support-cycle", cycle.id] }),
  });
  const [exportReason, setExportReason] = useState("");
  return (
    <Stack gap="md">
      <AnchorLink to="/households" search={{ commune: cycle.communeCode, tab: "support" }}>
        {t("back")}
      </AnchorLink>
      <div>
        <Title order={1} size="h2">
          {cycle.programme.name}
        </Title>
        <Group gap="xs">
          <Text>{cycle.name}</Text>
          <Badge variant="light">{t(`status.${cycle.status}`)}</Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {t("cycle.funder", { funder: cycle.programme.funder })}
        </Text>
      </div>
      {totals.data && (
        <SimpleGrid cols={3}>
          <Count label={t("cycle.planned")} value={number(totals.data.planned)} />
          <Count label={t("cycle.delivered")} value={number(totals.data.delivered)} />
          <Count label={t("cycle.notDelivered")} value={number(totals.data.notDelivered)} />
        </SimpleGrid>
      )}
      {cycle.status !== "approved" && <Alert color="orange">{t("cycle.notApproved")}</Alert>}
      {canAct && cycle.status === "draft" && (
        <Button onClick={() => move.mutate("submit")}>{t("cycle.submit")}</Button>
      )}
      {canAct && cycle.status === "awaiting_approval" && (
        <Button color="green" onClick={() => move.mutate("approve")}>
          {t("cycle.approve")}
        </Button>
      )}
      {move.isError && <ErrorState error={move.error} />}
      <Stack gap="xs">
        {list.items.map((item) => (
          <Entitlement
            key={item.householdId}
            cycleId={cycle.id}
            item={item}
            canDeliver={canAct && cycle.status === "approved"}
          />
        ))}
      </Stack>
      <Group align="end">
        <TextInput
          label={t("review.exportReason")}
          value={exportReason}
          onChange={(e) => setExportReason(e.currentTarget.value)}
          miw={220}
        />
        <Button
          component="a"
          variant="default"
          href={`/api/v1/support-cycles/${cycle.id}/export?reason=${encodeURIComponent(exportReason)}`}
          disabled={exportReason.trim().length < 3}
        >
          {t("cycle.export")}
        </Button>
      </Group>
    </Stack>
  );
}

function Count({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fz={20} fw={700}>
        {value}
      </Text>
    </Paper>
  );
}

function Entitlement({
  cycleId,
  item,
  canDeliver,
}: {
  cycleId: number;
  item: EntitlementRow;
  canDeliver: boolean;
}) {
  const { t, day, number } = useHouseholdsText();
  const queryClient = useQueryClient();
  const [isOpen, setOpen] = useState(false);
  const [receivedBy, setReceivedBy] = useState(item.headName);
  const [deliveredOn, setDeliveredOn] = useState(todayInVietnam());
  const save = useMutation({
    mutationFn: () => recordDistribution(cycleId, { householdId: item.householdId, deliveredOn, receivedBy }),
    onSuccess: () => {
      setOpen(false);
      return queryClient.invalidateQueries({ queryKey: ["support-cycle", cycleId] });
    },
  });
  const basis = item.basis
    .split(",")
    .map((b) => t(`cycle.basis.${b}` as "cycle.basis.poor", { defaultValue: b }));
  return (
    <Paper withBorder p="sm" data-testid={`entitlement-${item.code}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="start">
          <div>
            <Text fw={600}>{item.headName}</Text>
            <Text size="sm" c="dimmed">
              {item.villageCode} · {basis.join(", ")}
              {item.amount > 0 ? ` · ${number(item.amount)} đ` : ""}
            </Text>
          </div>
          {item.deliveredOn ? (
            <Badge color="green">{t("cycle.delivered")}</Badge>
          ) : (
            <Badge color="gray" variant="light">
              {t("cycle.notDelivered")}
            </Badge>
          )}
        </Group>
        {item.deliveredOn && (
          <Text size="sm">
            {t("cycle.receivedOn", { date: day(item.deliveredOn), who: item.receivedBy ?? "" })}
          </Text>
        )}
        {item.notDeliveredReason && !item.deliveredOn && (
          <Text size="sm" c="orange.8">
            {item.notDeliveredReason}
          </Text>
        )}
        {canDeliver && !item.deliveredOn && !isOpen && (
          <Button variant="light" size="md" onClick={() => setOpen(true)}>
            {t("cycle.deliver")}
          </Button>
        )}
        {isOpen && (
          <Stack gap="xs">
            <TextInput
              label={t("cycle.receivedBy")}
              value={receivedBy}
              onChange={(e) => setReceivedBy(e.currentTarget.value)}
              size="md"
            />
            <TextInput
              label={t("cycle.deliveredOn")}
              type="date"
              value={deliveredOn}
              onChange={(e) => setDeliveredOn(e.currentTarget.value)}
              size="md"
            />
            <Group grow>
              <Button
                size="md"
                loading={save.isPending}
                disabled={receivedBy.trim() === ""}
                onClick={() => save.mutate()}
              >
                {t("cycle.save")}
              </Button>
              <Button size="md" variant="default" onClick={() => setOpen(false)}>
                {t("cycle.cancel")}
              </Button>
            </Group>
            {save.isError && <ErrorState error={save.error} />}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
