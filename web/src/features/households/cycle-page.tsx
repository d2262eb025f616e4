import {
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { ApiError } from "../../api/client.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { EntitlementCard } from "./entitlement-card.tsx";
import { HouseholdPicker } from "./household-picker.tsx";
import "./mantine-styles.ts";
import { benefitText } from "./programme-form.tsx";
import { ReconciliationPanel } from "./reconciliation-panel.tsx";
import {
  addByHand,
  type CycleEntitlements,
  type CycleHeader,
  cycleReconciliationQuery,
  entitlementsQuery,
  type FoundHousehold,
  type ListedHousehold,
  moveCycle,
  proposeList,
} from "./support-api.ts";
import { SupportLinks } from "./support-links.tsx";
import { distributes, readsNames } from "./support-roles.ts";
import { useSupportText } from "./use-support-text.ts";

export const Route = createLazyRoute("/households/cycles/$id")({ component: CyclePage });
const routeApi = getRouteApi("/households/cycles/$id");

/**
 * /households/cycles/:id — a cycle of a programme in one commune: its reconciliation (for everyone, counts only),
 * and for the commune's officers the list being drawn up (propose, add by hand, take off, submit, approve) and then
 * each household's outcome, one card per household, made to be used on a phone on the day.
 */
function CyclePage() {
  const { t } = useSupportText();
  const id = Number(routeApi.useParams().id);
  const me = useQuery(meQuery());
  const role = me.data?.user?.role;
  const totals = useQuery(cycleReconciliationQuery(id));
  useEffect(() => {
    if (totals.data) document.title = `${totals.data.cycle.programme.name} — Grassroots`;
  }, [totals.data]);
  if (totals.isPending || me.isPending) return <LoadingState />;
  if (totals.isError) return <ErrorState error={totals.error} onRetry={() => totals.refetch()} />;
  const { cycle } = totals.data;
  return (
    <Stack gap="md">
      <SupportLinks unit={cycle.communeCode} />
      <Header cycle={cycle} />
      {distributes(role) && <Steps cycle={cycle} planned={totals.data.planned} />}
      <ReconciliationPanel r={totals.data} />
      {readsNames(role) ? (
        <NamedList cycle={cycle} canAct={distributes(role)} />
      ) : (
        <Alert>{t("cycle.viewerNote")}</Alert>
      )}
    </Stack>
  );
}

function Header({ cycle }: { cycle: CycleHeader }) {
  const { t, day, money } = useSupportText();
  return (
    <div>
      <AnchorLink to="/households/support/$id" params={{ id: String(cycle.programme.id) }}>
        {t("back")}
      </AnchorLink>
      <Title order={1} size="h2">
        {cycle.programme.name}
      </Title>
      <Group gap="xs">
        <Text fw={500}>{cycle.name}</Text>
        <Badge variant="light" color={cycle.status === "approved" ? "green" : "blue"}>
          {t(`status.${cycle.status}`)}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {t("cycle.commune", { name: cycle.communeName ?? cycle.communeCode })} ·{" "}
        {t("cycle.eligibility", { date: day(cycle.eligibilityDate) })}
      </Text>
      <Text size="sm" c="dimmed">
        {t("programme.funder", { funder: cycle.programme.funder })} · {benefitText(t, money, cycle.programme)}
      </Text>
    </div>
  );
}

function NamedList({ cycle, canAct }: { cycle: CycleHeader; canAct: boolean }) {
  const list = useQuery(entitlementsQuery(cycle.id));
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  return (
    <Stack gap="md">
      {canAct && list.data.cycle.status === "draft" && <AddByHand cycle={list.data.cycle} />}
      <Households list={list.data} canAct={canAct} />
      {list.data.removed.length > 0 && <Removed list={list.data} />}
      <Export cycleId={cycle.id} />
    </Stack>
  );
}

/** Propose → submit → approve (or return), with what each state allows said in words. */
function Steps({ cycle, planned }: { cycle: CycleHeader; planned: number }) {
  const { t, number } = useSupportText();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["support-cycle", cycle.id] });
  const [returnReason, setReturnReason] = useState("");
  const propose = useMutation({ mutationFn: () => proposeList(cycle.id), onSuccess: refresh });
  const move = useMutation({
    mutationFn: (action: "submit" | "approve" | "return") =>
      moveCycle(cycle.id, action, cycle.version, action === "return" ? returnReason.trim() : undefined),
    onSuccess: refresh,
  });
  const note = {
    draft: t("cycle.draftNote"),
    awaiting_approval: t("cycle.awaitingNote"),
    approved: t("cycle.approvedNote"),
  }[cycle.status];
  return (
    <Stack gap="xs">
      <Alert color={cycle.status === "approved" ? "green" : "blue"}>{note}</Alert>
      {cycle.status === "draft" && (
        <Group gap="xs" wrap="wrap">
          <Button variant="light" loading={propose.isPending} onClick={() => propose.mutate()}>
            {t("cycle.propose")}
          </Button>
          <Button loading={move.isPending} disabled={planned === 0} onClick={() => move.mutate("submit")}>
            {t("cycle.submit")}
          </Button>
        </Group>
      )}
      {propose.data && (
        <Text size="sm" role="status">
          {t("cycle.proposed", { count: propose.data.added, formatted: number(propose.data.added) })}
        </Text>
      )}
      {cycle.status === "awaiting_approval" && (
        <Group gap="xs" align="end" wrap="wrap">
          <Button color="green" loading={move.isPending} onClick={() => move.mutate("approve")}>
            {t("cycle.approve")}
          </Button>
          <TextInput
            label={t("cycle.returnReason")}
            value={returnReason}
            onChange={(e) => setReturnReason(e.currentTarget.value)}
            miw={200}
          />
          <Button
            variant="default"
            disabled={returnReason.trim().length < 3}
            onClick={() => move.mutate("return")}
          >
            {t("cycle.return")}
          </Button>
        </Group>
      )}
      {propose.isError && <ErrorState error={propose.error} />}
      {move.isError && <ErrorState error={move.error} />}
    </Stack>
  );
}

/** A household the proposal missed, put on the list with a reason; a second time for one household is a 409. */
function AddByHand({ cycle }: { cycle: CycleHeader }) {
  const { t } = useSupportText();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<FoundHousehold | null>(null);
  const [reason, setReason] = useState("");
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (h: FoundHousehold) => addByHand(cycle.id, h.id, reason.trim()),
    onSuccess: async (_, h) => {
      setAdded(h.headName);
      setPicked(null);
      setReason("");
      await queryClient.invalidateQueries({ queryKey: ["support-cycle", cycle.id] });
    },
  });
  const isDuplicate = add.error instanceof ApiError && add.error.status === 409;
  return (
    <details>
      <summary style={{ cursor: "pointer", fontWeight: 600, padding: "6px 0" }}>{t("add.title")}</summary>
      <Stack gap="xs" pt="xs">
        <HouseholdPicker
          commune={cycle.communeCode}
          picked={picked}
          onPick={(h) => {
            setPicked(h);
            setAdded(null);
            add.reset();
          }}
        />
        {picked && (
          <>
            <Textarea
              label={t("add.reason")}
              placeholder={t("add.reasonPlaceholder")}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={500}
            />
            <Group>
              <Button
                loading={add.isPending}
                disabled={reason.trim().length < 3}
                onClick={() => add.mutate(picked)}
              >
                {t("add.submit")}
              </Button>
            </Group>
          </>
        )}
        {isDuplicate ? (
          <Alert color="red" role="alert" title={picked ? `${picked.headName} (${picked.code})` : undefined}>
            {t("add.already")}
          </Alert>
        ) : (
          add.isError && <ErrorState error={add.error} />
        )}
        {added && (
          <Text size="sm" c="green.8" role="status">
            {t("add.added", { name: added })}
          </Text>
        )}
      </Stack>
    </details>
  );
}

type Show = "all" | "pending" | "delivered" | "notDelivered";
const outcomeOf = (h: ListedHousehold): Exclude<Show, "all"> =>
  h.deliveredOn ? "delivered" : h.notDeliveredReason ? "notDelivered" : "pending";
const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase();

function Households({ list, canAct }: { list: CycleEntitlements; canAct: boolean }) {
  const { t, number } = useSupportText();
  const [q, setQ] = useState("");
  const [show, setShow] = useState<Show>("all");
  const needle = fold(q.trim());
  const shown = list.items.filter(
    (h) =>
      (show === "all" || outcomeOf(h) === show) &&
      (needle === "" || fold(h.headName).includes(needle) || fold(h.code).includes(needle)),
  );
  const visible = shown.slice(0, 200);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t("cycle.list", { count: list.total })}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <TextInput label={t("cycle.filter")} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        {list.cycle.status === "approved" && (
          <NativeSelect
            label={t("cycle.showLabel")}
            value={show}
            onChange={(e) => setShow(e.currentTarget.value as Show)}
            data={(["all", "pending", "delivered", "notDelivered"] as const).map((s) => ({
              value: s,
              label: t(`cycle.show.${s}`),
            }))}
          />
        )}
      </SimpleGrid>
      {visible.length === 0 && <Text c="dimmed">{t("cycle.noMatch")}</Text>}
      {visible.map((item) => (
        <EntitlementCard key={item.householdId} cycle={list.cycle} item={item} canAct={canAct} />
      ))}
      {(shown.length > visible.length || list.total > list.items.length) && (
        <Text size="sm" c="dimmed">
          {t("cycle.more", { shown: number(visible.length), total: number(list.total) })}
        </Text>
      )}
    </Stack>
  );
}

function Removed({ list }: { list: CycleEntitlements }) {
  const { t } = useSupportText();
  return (
    <Stack gap={4}>
      <Title order={2} size="h4">
        {t("remove.removedTitle", { count: list.removed.length })}
      </Title>
      {list.removed.map((r) => (
        <Text key={r.householdId} size="sm">
          {t("remove.removed", { name: r.headName, code: r.code, reason: r.reason })}
        </Text>
      ))}
    </Stack>
  );
}

/** The signature sheet the commune prints, exported with a reason that the audit trail keeps. */
function Export({ cycleId }: { cycleId: number }) {
  const { t } = useSupportText();
  const [reason, setReason] = useState("");
  return (
    <Group align="end" wrap="wrap" gap="xs">
      <TextInput
        label={t("cycle.exportReason")}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        miw={220}
      />
      <Button
        component="a"
        variant="default"
        href={`/api/v1/support-cycles/${cycleId}/export?reason=${encodeURIComponent(reason)}`}
        disabled={reason.trim().length < 3}
      >
        {t("cycle.export")}
      </Button>
    </Group>
  );
}
