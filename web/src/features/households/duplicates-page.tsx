import {
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { type FormEvent, useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { FormDialog } from "./household-edit.tsx";
import "./mantine-styles.ts";
import {
  type DuplicateDecision,
  type DuplicatePairView,
  decidePair,
  duplicatePairsQuery,
  householdRecordQuery,
} from "./registry-api.ts";
import { useHouseholdsText } from "./use-households-text.ts";
import { useRegistryText } from "./use-registry-text.ts";

export const Route = createLazyRoute("/households/duplicates")({ component: DuplicatesPage });
const routeApi = getRouteApi("/households/duplicates");

type Pending =
  | { kind: "keep_both"; pair: DuplicatePairView }
  | { kind: "merge"; pair: DuplicatePairView; keep: DuplicatePairView["households"][number] }
  | { kind: "move_member"; pair: DuplicatePairView };

/**
 * /households/duplicates?commune — suspected duplicate households, each pair shown side by side with its members,
 * decided by a person: keep both, merge into one, or move a member to the other. Every decision is audited.
 */
function DuplicatesPage() {
  const { t } = useRegistryText();
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;
  const search = routeApi.useSearch();
  const commune = search.commune ?? (user?.scope?.level === "commune" ? user.scope.code : undefined);
  const canDecide = user?.role === "commune_officer" || user?.role === "system_admin";
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    document.title = `${t("duplicates.title")} — Grassroots`;
  }, [t]);
  return (
    <Stack gap="lg">
      <AnchorLink to="/households" search={{ commune }}>
        {t("duplicates.back")}
      </AnchorLink>
      <div>
        <Title order={1}>{t("duplicates.title")}</Title>
        <Text c="dimmed">{t("duplicates.intro")}</Text>
      </div>
      {done && (
        <Alert color="green" withCloseButton onClose={() => setDone(false)}>
          {t("duplicates.decided")}
        </Alert>
      )}
      {commune && (
        <Pairs
          commune={commune}
          canDecide={canDecide}
          onDecide={(p) => {
            setDone(false);
            setPending(p);
          }}
        />
      )}
      <FormDialog
        title={
          pending === null
            ? ""
            : pending.kind === "keep_both"
              ? t("duplicates.keepBoth")
              : pending.kind === "merge"
                ? t("duplicates.mergeInto", { code: pending.keep.code })
                : t("duplicates.moveTitle")
        }
        opened={pending !== null}
        onClose={() => setPending(null)}
      >
        {pending && (
          <DecisionForm
            pending={pending}
            onClose={() => setPending(null)}
            onDone={() => {
              setPending(null);
              setDone(true);
            }}
          />
        )}
      </FormDialog>
    </Stack>
  );
}

function Pairs({
  commune,
  canDecide,
  onDecide,
}: {
  commune: string;
  canDecide: boolean;
  onDecide: (p: Pending) => void;
}) {
  const { t } = useRegistryText();
  const pairs = useQuery(duplicatePairsQuery(commune));
  if (pairs.isPending) return <LoadingState />;
  if (pairs.isError) return <ErrorState error={pairs.error} onRetry={() => pairs.refetch()} />;
  if (pairs.data.items.length === 0) return <Text>{t("duplicates.none")}</Text>;
  return (
    <Stack gap="md">
      {pairs.data.items.map((pair) => (
        <Paper key={pair.id} withBorder p="md" data-testid={`pair-${pair.id}`}>
          <Stack gap="sm">
            <Badge variant="light" color="orange" w="fit-content">
              {t(`duplicates.reasons.${pair.reason}` as "duplicates.reasons.same_citizen_id", {
                defaultValue: pair.reason,
              })}
            </Badge>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              {pair.households.map((h) => (
                <HouseholdSide key={h.id} id={h.id} />
              ))}
            </SimpleGrid>
            {canDecide && (
              <Group gap="xs">
                <Button size="sm" variant="default" onClick={() => onDecide({ kind: "keep_both", pair })}>
                  {t("duplicates.keepBoth")}
                </Button>
                {pair.households.map((h) => (
                  <Button
                    key={h.id}
                    size="sm"
                    variant="light"
                    onClick={() => onDecide({ kind: "merge", pair, keep: h })}
                  >
                    {t("duplicates.mergeInto", { code: h.code })}
                  </Button>
                ))}
                <Button size="sm" variant="light" onClick={() => onDecide({ kind: "move_member", pair })}>
                  {t("duplicates.moveMember")}
                </Button>
              </Group>
            )}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

/** One household of a pair with its current members (masked as the reader's role requires). */
function HouseholdSide({ id }: { id: number }) {
  const { t } = useRegistryText();
  const { t: ht } = useHouseholdsText();
  const file = useQuery(householdRecordQuery(id));
  if (file.isPending) return <LoadingState />;
  if (file.isError) return <ErrorState error={file.error} />;
  const h = file.data;
  const current = h.members.filter((m) => m.isCurrent);
  return (
    <Paper withBorder p="sm" bg="gray.0">
      <AnchorLink to="/households/$id" params={{ id: String(h.id) }} fw={600}>
        {h.headName}
      </AnchorLink>
      <Text size="xs" c="dimmed">
        {h.code} · {h.villageCode} · {t("duplicates.membersOf", { count: current.length })}
      </Text>
      {h.address && <Text size="sm">{h.address}</Text>}
      <Stack gap={2} mt={6}>
        {current.map((m) => (
          <Text key={m.id} size="sm">
            {m.fullName} — {ht(`relations.${m.relation}` as "relations.head")},{" "}
            {t("duplicates.born", { year: m.birthYear })}
            {m.citizenId ? ` · ${m.citizenId}` : ""}
          </Text>
        ))}
      </Stack>
    </Paper>
  );
}

function DecisionForm({
  pending,
  onClose,
  onDone,
}: {
  pending: Pending;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useRegistryText();
  const queryClient = useQueryClient();
  const [note, setNote] = useState("");
  const [a, b] = pending.pair.households;
  const fileA = useQuery({ ...householdRecordQuery(a?.id ?? 0), enabled: pending.kind === "move_member" });
  const fileB = useQuery({ ...householdRecordQuery(b?.id ?? 0), enabled: pending.kind === "move_member" });
  const movable = [fileA.data, fileB.data].flatMap((f) =>
    f
      ? f.members
          .filter((m) => m.isCurrent && m.relation !== "head")
          .map((m) => ({ member: m, from: f, to: f.id === a?.id ? b : a }))
      : [],
  );
  const [memberId, setMemberId] = useState("");
  const choice = movable.find((m) => String(m.member.id) === memberId) ?? movable[0];
  const decide = useMutation({
    mutationFn: () => {
      const extra = note.trim() ? { note: note.trim() } : {};
      const decision: DuplicateDecision =
        pending.kind === "keep_both"
          ? { decision: "keep_both", ...extra }
          : pending.kind === "merge"
            ? { decision: "merge", keepHouseholdId: pending.keep.id, ...extra }
            : {
                decision: "move_member",
                memberId: choice?.member.id ?? 0,
                toHouseholdId: choice?.to?.id ?? 0,
                ...extra,
              };
      return decidePair(pending.pair, decision);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["household-duplicates"] });
      void queryClient.invalidateQueries({ queryKey: ["household"] });
      void queryClient.invalidateQueries({ queryKey: ["households"] });
      onDone();
    },
    // A pair decided meanwhile by someone else: the list reloads under the message that says so.
    onError: () => queryClient.invalidateQueries({ queryKey: ["household-duplicates"] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    decide.mutate();
  };
  const gone =
    pending.kind === "merge" ? pending.pair.households.find((h) => h.id !== pending.keep.id) : null;
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        {pending.kind === "merge" && gone && (
          <Text size="sm">{t("duplicates.mergeHint", { kept: pending.keep.code, gone: gone.code })}</Text>
        )}
        {pending.kind === "move_member" &&
          (fileA.isPending || fileB.isPending ? (
            <LoadingState />
          ) : (
            <NativeSelect
              label={t("duplicates.member")}
              value={choice ? String(choice.member.id) : ""}
              onChange={(e) => setMemberId(e.currentTarget.value)}
              data={movable.map((m) => ({
                value: String(m.member.id),
                label: `${m.member.fullName} (${m.member.birthYear}) → ${t("duplicates.to", { code: m.to?.code ?? "" })}`,
              }))}
            />
          ))}
        <Textarea
          label={t("duplicates.note")}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={2}
        />
        {decide.isError && <ErrorState error={decide.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("duplicates.cancel")}
          </Button>
          <Button
            type="submit"
            loading={decide.isPending}
            disabled={pending.kind === "move_member" && choice === undefined}
          >
            {t("duplicates.confirm")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
