import { Group, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute } from "@tanstack/react-router";
import { useEffect } from "react";
import { meQuery } from "../../api/auth.ts";
import common from "../../components/common.module.css";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { canManageSessions, meetingsQuery } from "./api.ts";
import { IllustrativeMark, SessionsTabs } from "./parts.tsx";
import { useSessionsText } from "./use-sessions-text.ts";

export const Route = createLazyRoute("/sessions")({ component: MeetingsPage });

/** /sessions: the working sessions the reader takes part in or held, newest first. */
function MeetingsPage() {
  const { t, day } = useSessionsText();
  const me = useQuery(meQuery());
  const meetings = useQuery(meetingsQuery());
  useEffect(() => {
    document.title = `${t("meetings.title")} — Grassroots`;
  }, [t]);
  return (
    <Stack gap="md">
      <Title order={1}>{t("meetings.title")}</Title>
      <SessionsTabs />
      {canManageSessions(me.data?.user?.role) && (
        <Group>
          <ButtonLink to="/sessions/meetings/new">{t("meetings.record")}</ButtonLink>
        </Group>
      )}
      {meetings.isPending && <LoadingState />}
      {meetings.isError && <ErrorState error={meetings.error} onRetry={() => meetings.refetch()} />}
      {meetings.data &&
        (meetings.data.items.length === 0 ? (
          <Text>{t("meetings.empty")}</Text>
        ) : (
          <Table.ScrollContainer minWidth={320}>
            <Table striped className={common.table} verticalSpacing="xs">
              <Table.Caption>{t("meetings.caption")}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("meetings.colDate")}</Table.Th>
                  <Table.Th>{t("meetings.colTitle")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("meetings.colUnits")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {meetings.data.items.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>{day(m.heldOn)}</Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        <AnchorLink to="/sessions/meetings/$id" params={{ id: String(m.id) }} fw={600}>
                          {m.title}
                        </AnchorLink>
                        <Text size="xs" c="dimmed">
                          {m.place} · {m.chair.name}
                        </Text>
                        <Group gap={4}>
                          <IllustrativeMark show={m.isIllustrative} />
                        </Group>
                      </Stack>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{m.units.map((u) => u.name).join(", ")}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ))}
    </Stack>
  );
}
