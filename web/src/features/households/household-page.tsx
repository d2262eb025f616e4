import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import {
  AddMemberForm,
  CorrectMemberForm,
  DeleteForm,
  EditHouseholdForm,
  FormDialog,
  LeaveForm,
} from "./household-edit.tsx";
import "./mantine-styles.ts";
import { PolicyClasses } from "./policy-classes.tsx";
import { type HouseholdMember, type HouseholdRecord, householdRecordQuery } from "./registry-api.ts";
import { useHouseholdsText } from "./use-households-text.ts";
import { useRegistryText } from "./use-registry-text.ts";

export const Route = createLazyRoute("/households/$id")({ component: HouseholdPage });
const routeApi = getRouteApi("/households/$id");

type Dialog =
  | { kind: "household" }
  | { kind: "add" }
  | { kind: "delete" }
  | { kind: "correct"; member: HouseholdMember }
  | { kind: "leave"; member: HouseholdMember };

/**
 * /households/:id — a household's file: members over time (personal data masked by role), policy classes, its
 * years; the commune's officers change it here (address, head, members joining and leaving, soft deletion).
 */
function HouseholdPage() {
  const { t } = useHouseholdsText();
  const id = Number(routeApi.useParams().id);
  const file = useQuery(householdRecordQuery(id));
  const me = useQuery(meQuery());
  const role = me.data?.user?.role;
  const canWrite = role === "commune_officer" || role === "system_admin";
  useEffect(() => {
    if (file.data) document.title = `${file.data.headName} — Grassroots`;
  }, [file.data]);
  if (file.isPending) return <LoadingState />;
  if (file.isError) return <ErrorState error={file.error} onRetry={() => file.refetch()} />;
  return (
    <Stack gap="lg">
      <AnchorLink to="/households" search={{ commune: file.data.communeCode }}>
        {t("back")}
      </AnchorLink>
      <HouseholdFile household={file.data} canWrite={canWrite && file.data.deleted === null} />
    </Stack>
  );
}

function HouseholdFile({ household: h, canWrite }: { household: HouseholdRecord; canWrite: boolean }) {
  const { t: ht } = useHouseholdsText();
  const { t, day } = useRegistryText();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  const masked = h.members.some((m) => m.masked);
  const current = h.members.filter((m) => m.isCurrent);
  const former = h.members.filter((m) => !m.isCurrent);
  const title =
    dialog === null
      ? ""
      : dialog.kind === "household"
        ? t("edit.householdTitle")
        : dialog.kind === "add"
          ? t("edit.addMemberTitle")
          : dialog.kind === "delete"
            ? t("edit.deleteTitle", { code: h.code })
            : dialog.kind === "correct"
              ? t("edit.correctTitle")
              : t("edit.leaveTitle", { name: dialog.member.fullName });
  return (
    <>
      <div>
        <Title order={1}>{h.headName}</Title>
        <Text c="dimmed">
          {h.code} · {h.villageCode}
        </Text>
        <Text size="sm">{h.address ? t("edit.address", { address: h.address }) : t("edit.noAddress")}</Text>
        {h.registeredOn && (
          <Text size="sm" c="dimmed">
            {t("edit.registeredOn", { date: day(h.registeredOn) })}
          </Text>
        )}
      </div>
      {canWrite && (
        <Group gap="xs">
          <Button variant="light" onClick={() => setDialog({ kind: "household" })}>
            {t("edit.editHousehold")}
          </Button>
          <Button variant="light" onClick={() => setDialog({ kind: "add" })}>
            {t("edit.addMember")}
          </Button>
          <Button variant="subtle" color="red" onClick={() => setDialog({ kind: "delete" })}>
            {t("edit.delete")}
          </Button>
        </Group>
      )}
      {h.deleted && <Alert color="gray">{ht("file.deleted", { reason: h.deleted.reason })}</Alert>}
      {masked && <Alert>{ht("file.masked")}</Alert>}
      <Title order={2} size="h4">
        {ht("file.members")} ({current.length})
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        {current.map((m) => (
          <MemberCard
            key={m.id}
            member={m}
            canWrite={canWrite}
            onCorrect={() => setDialog({ kind: "correct", member: m })}
            onLeave={() => setDialog({ kind: "leave", member: m })}
          />
        ))}
      </SimpleGrid>
      {former.length > 0 && (
        <>
          <Title order={3} size="h5" c="dimmed">
            {t("edit.former")} ({former.length})
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            {former.map((m) => (
              <MemberCard key={m.id} member={m} canWrite={false} />
            ))}
          </SimpleGrid>
        </>
      )}
      <PolicyClasses household={h} canWrite={canWrite} />
      {h.years.length > 0 && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            {ht("file.years")}
          </Title>
          <Stack gap={4}>
            {h.years.map((y) => (
              <Text key={y.year}>
                {y.year}:{" "}
                <Badge variant="light">{y.result ? ht(`classes.${y.result}` as "classes.poor") : "—"}</Badge>{" "}
                <Text span size="sm" c="dimmed">
                  {y.communeName} · {ht(`status.${y.reviewStatus}` as "status.approved")}
                </Text>
              </Text>
            ))}
          </Stack>
        </Paper>
      )}
      <FormDialog title={title} opened={dialog !== null} onClose={close}>
        {dialog?.kind === "household" && <EditHouseholdForm household={h} onClose={close} />}
        {dialog?.kind === "add" && <AddMemberForm household={h} onClose={close} />}
        {dialog?.kind === "delete" && <DeleteForm household={h} onClose={close} />}
        {dialog?.kind === "correct" && (
          <CorrectMemberForm household={h} member={dialog.member} onClose={close} />
        )}
        {dialog?.kind === "leave" &&
          (dialog.member.relation === "head" ? (
            <Alert color="orange">{t("edit.headLeaves")}</Alert>
          ) : (
            <LeaveForm household={h} member={dialog.member} onClose={close} />
          ))}
      </FormDialog>
    </>
  );
}

/** One member: name and relation, birth (date only for roles that see it), ID, ethnicity, when they joined or left. */
function MemberCard({
  member: m,
  canWrite,
  onCorrect,
  onLeave,
}: {
  member: HouseholdMember;
  canWrite: boolean;
  onCorrect?: () => void;
  onLeave?: () => void;
}) {
  const { t: ht } = useHouseholdsText();
  const { t, day } = useRegistryText();
  const reasonOf = (r: string | null, group: "joinReasons" | "leaveReasons") =>
    r ? t(`${group}.${r}` as "joinReasons.birth", { defaultValue: r }) : "—";
  return (
    <Paper withBorder p="sm" data-testid={`member-${m.id}`} c={m.isCurrent ? undefined : "dimmed"}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Group gap={6}>
            <Text fw={600}>{m.fullName}</Text>
            <Badge variant="light" color={m.relation === "head" ? "blue" : "gray"}>
              {ht(`relations.${m.relation}` as "relations.head")}
            </Badge>
          </Group>
          <Text size="sm">
            {m.sex === "male" ? t("member.male") : t("member.female")} ·{" "}
            {m.birthDate ? day(m.birthDate) : m.birthYear}
            {m.ethnicity ? ` · ${t("edit.ethnicity", { name: m.ethnicity })}` : ""}
          </Text>
          <Text size="sm">
            {t("member.citizenId")}:{" "}
            <Text span size="sm" ff="monospace">
              {m.citizenId ?? "—"}
            </Text>
          </Text>
          <Text size="xs" c="dimmed">
            {m.isCurrent && m.joinedOn === null
              ? t("edit.onBooksBefore")
              : m.isCurrent
                ? t("edit.joinedBecause", {
                    date: day(m.joinedOn),
                    reason: reasonOf(m.joinReason, "joinReasons"),
                  })
                : t("edit.leftBecause", {
                    date: day(m.leftOn),
                    reason: reasonOf(m.leaveReason, "leaveReasons"),
                  })}
          </Text>
        </div>
        {canWrite && (
          <Stack gap={4}>
            <Button size="compact-sm" variant="default" onClick={onCorrect}>
              {t("edit.correct")}
            </Button>
            {m.relation !== "head" && (
              <Button size="compact-sm" variant="default" onClick={onLeave}>
                {t("edit.leave")}
              </Button>
            )}
          </Stack>
        )}
      </Group>
    </Paper>
  );
}
