import { Anchor, Button, Checkbox, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { markAllRead, markRead, type NotificationView, notificationKeys, notificationsQuery } from "./api.ts";
import classes from "./notifications.module.css";
import { useFollowNotification } from "./use-follow.ts";

export const Route = createLazyRoute("/notifications")({ component: NotificationsPage });

const PAGE = 30;

/** /notifications: every notification of mine, newest first; unread marked, read one by one or all at once. */
function NotificationsPage() {
  const { t } = useTranslation("home");
  const queryClient = useQueryClient();
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const list = useQuery({ ...notificationsQuery(onlyUnread, limit), placeholderData: keepPreviousData });
  const readAll = useMutation({
    mutationFn: markAllRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });

  useEffect(() => {
    document.title = `${t("list.title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <Title order={1}>{t("list.title")}</Title>
      <Group justify="space-between">
        <Checkbox
          label={t("list.onlyUnread")}
          checked={onlyUnread}
          onChange={(e) => setOnlyUnread(e.currentTarget.checked)}
        />
        {(list.data?.unread ?? 0) > 0 && (
          <Button variant="light" onClick={() => readAll.mutate()} loading={readAll.isPending}>
            {t("bell.markAllRead")}
          </Button>
        )}
      </Group>
      {list.isPending && <LoadingState />}
      {list.isError && <ErrorState error={list.error} onRetry={() => list.refetch()} />}
      {list.data &&
        (list.data.items.length === 0 ? (
          <Text c="dimmed">{onlyUnread ? t("list.emptyUnread") : t("list.empty")}</Text>
        ) : (
          <Stack gap="xs" component="ul" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {list.data.items.map((n) => (
              <li key={n.id}>
                <Row notification={n} />
              </li>
            ))}
          </Stack>
        ))}
      {list.data?.hasMore && (
        <Button variant="default" onClick={() => setLimit((l) => l + PAGE)} loading={list.isFetching}>
          {t("list.more")}
        </Button>
      )}
    </Stack>
  );
}

function Row({ notification: n }: { notification: NotificationView }) {
  const { t, i18n } = useTranslation("home");
  const queryClient = useQueryClient();
  const lang = i18n.language === "en" ? "en" : "vi";
  const follow = useFollowNotification(n);
  const read = useMutation({
    mutationFn: () => markRead(n.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
  const isUnread = n.readAt === null;
  return (
    <Paper withBorder p="sm" className={classes.row} data-unread={isUnread}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed">
          {formatDateTime(n.createdAt)}
          {isUnread ? ` · ${t("bell.unread")}` : ""}
        </Text>
        <Anchor href={n.link} fw={isUnread ? 700 : 500} onClick={follow}>
          {n.title[lang]}
        </Anchor>
        {n.body && <Text size="sm">{n.body[lang]}</Text>}
        {isUnread && (
          <Group>
            <Button size="compact-sm" variant="subtle" onClick={() => read.mutate()} loading={read.isPending}>
              {t("list.markRead")}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
