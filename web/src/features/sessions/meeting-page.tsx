import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { canManageSessions, directionsQuery, type Meeting, meetingQuery, proposalsQuery } from "./api.ts";
import { DirectionCreateForm, ProposalCreateForm } from "./create-forms.tsx";
import { DirectionTable, ProposalTable } from "./lists.tsx";
import { IllustrativeMark, SessionsTabs } from "./parts.tsx";
import classes from "./sessions.module.css";
import { useSessionsText } from "./use-sessions-text.ts";

export const Route = createLazyRoute("/sessions/meetings/$id")({ component: MeetingPage });
const routeApi = getRouteApi("/sessions/meetings/$id");

/** /sessions/meetings/$id: who met whom, what each commune reported (with its indicators that day), what was asked and given. */
function MeetingPage() {
  const { id } = routeApi.useParams();
  const meeting = useQuery(meetingQuery(Number(id)));
  if (meeting.isPending) return <LoadingState />;
  if (meeting.isError) return <ErrorState error={meeting.error} onRetry={() => meeting.refetch()} />;
  return <MeetingDetails meeting={meeting.data} />;
}

function MeetingDetails({ meeting }: { meeting: Meeting }) {
  const { t, day } = useSessionsText();
  const me = useQuery(meQuery());
  const canManage = canManageSessions(me.data?.user?.role);
  const proposals = useQuery(proposalsQuery({ meeting: meeting.id }));
  const directions = useQuery(directionsQuery({ meeting: meeting.id }));
  const [adding, setAdding] = useState<"proposal" | "direction" | null>(null);
  useEffect(() => {
    document.title = `${meeting.title} — Grassroots`;
  }, [meeting.title]);

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <AnchorLink to="/sessions" size="sm">
          {t("meeting.back")}
        </AnchorLink>
        <Title order={1} size="h2">
          {meeting.title}
        </Title>
        <IllustrativeMark show={meeting.isIllustrative} />
        <SessionsTabs />
      </Stack>
      <dl className={common.definitions}>
        <dt>{t("meeting.heldOn")}</dt>
        <dd>{day(meeting.heldOn)}</dd>
        <dt>{t("meeting.place")}</dt>
        <dd>{meeting.place}</dd>
        <dt>{t("meeting.chair")}</dt>
        <dd>
          {meeting.chair.name}, {meeting.chair.position}
        </dd>
      </dl>
      <Paper className={classes.card}>
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t("meeting.notice")}
          </Title>
          {meeting.notice ? (
            <>
              <Text>
                {meeting.issuingBody} —{" "}
                {t("meeting.noticeNumber", {
                  number: meeting.notice.number,
                  symbol: meeting.notice.symbol,
                  date: day(meeting.notice.date),
                })}
              </Text>
              <Group gap="sm">
                <Anchor href={`/api/v1/meetings/${meeting.id}/notice?format=docx`} download>
                  {t("meeting.downloadDocx")}
                </Anchor>
                <Anchor href={`/api/v1/meetings/${meeting.id}/notice?format=pdf`} download>
                  {t("meeting.downloadPdf")}
                </Anchor>
              </Group>
            </>
          ) : (
            <Text>{t("meeting.noticeMissing")}</Text>
          )}
        </Stack>
      </Paper>
      {meeting.delegates.length > 0 && (
        <Stack gap="xs" component="section">
          <Title order={2} size="h3">
            {t("meeting.delegation")}
          </Title>
          <Stack gap={2} component="ul" pl="md" m={0}>
            {meeting.delegates.map((d) => (
              <Text component="li" key={`${d.name}-${d.title}`}>
                <b>{d.name}</b>, {d.title} ({d.body})
              </Text>
            ))}
          </Stack>
        </Stack>
      )}
      <Stack gap="xs" component="section">
        <Title order={2} size="h3">
          {t("meeting.units")}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {meeting.units.map((u) => (
            <UnitReport key={u.code} unit={u} />
          ))}
        </SimpleGrid>
      </Stack>
      {meeting.agenda && (
        <Stack gap={4} component="section">
          <Title order={2} size="h3">
            {t("meeting.agenda")}
          </Title>
          <Text className={classes.prewrap}>{meeting.agenda}</Text>
        </Stack>
      )}
      {meeting.minutes && (
        <Stack gap={4} component="section">
          <Title order={2} size="h3">
            {t("meeting.minutes")}
          </Title>
          <Text className={classes.prewrap}>{meeting.minutes}</Text>
        </Stack>
      )}
      <Stack gap="xs" component="section" aria-labelledby="meeting-proposals">
        <Group justify="space-between">
          <Title order={2} size="h3" id="meeting-proposals">
            {t("meeting.proposals")}
          </Title>
          {canManage && adding !== "proposal" && (
            <Button variant="light" onClick={() => setAdding("proposal")}>
              {t("meeting.addProposal")}
            </Button>
          )}
        </Group>
        {adding === "proposal" && <ProposalCreateForm meeting={meeting} onDone={() => setAdding(null)} />}
        {proposals.isError && <ErrorState error={proposals.error} onRetry={() => proposals.refetch()} />}
        {proposals.data && <ProposalTable items={proposals.data.items} caption={t("meeting.proposals")} />}
      </Stack>
      <Stack gap="xs" component="section" aria-labelledby="meeting-directions">
        <Group justify="space-between">
          <Title order={2} size="h3" id="meeting-directions">
            {t("meeting.directions")}
          </Title>
          {canManage && adding !== "direction" && (
            <Button variant="light" onClick={() => setAdding("direction")}>
              {t("meeting.addDirection")}
            </Button>
          )}
        </Group>
        {adding === "direction" && <DirectionCreateForm meeting={meeting} onDone={() => setAdding(null)} />}
        {directions.isError && <ErrorState error={directions.error} onRetry={() => directions.refetch()} />}
        {directions.data && (
          <DirectionTable
            items={directions.data.items}
            caption={t("directions.caption", { date: day(directions.data.today) })}
          />
        )}
      </Stack>
    </Stack>
  );
}

function UnitReport({ unit }: { unit: Meeting["units"][number] }) {
  const { t, number, isEnglish } = useSessionsText();
  const items = unit.snapshot.items;
  return (
    <Paper className={classes.card}>
      <Stack gap="xs">
        <AnchorLink to="/units/$code" params={{ code: unit.code }} fw={700}>
          {unit.name}
        </AnchorLink>
        {unit.report && <Text size="sm">{unit.report}</Text>}
        <details>
          <summary>
            {t("meeting.snapshot")} (
            {t("meeting.snapshotCoverage", {
              reported: unit.snapshot.reported,
              expected: unit.snapshot.expected,
            })}
            )
          </summary>
          <Table className={common.table} verticalSpacing={4}>
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.code}>
                  <Table.Td>{isEnglish ? i.nameEn : i.nameVi}</Table.Td>
                  <Table.Td ta="right" className={classes.nowrap}>
                    {i.value === null ? (
                      <Text span c="dimmed" size="sm">
                        {t("meeting.notReported")}
                      </Text>
                    ) : (
                      `${number(i.value, i.decimals)} (${i.period})`
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </details>
      </Stack>
    </Paper>
  );
}
