import {
  ActionIcon,
  Button,
  Divider,
  Group,
  Indicator,
  Popover,
  Stack,
  Text,
  UnstyledButton,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ButtonLink } from "../../components/links.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import {
  markAllRead,
  type NotificationView,
  notificationKeys,
  notificationsQuery,
  unreadQuery,
} from "./api.ts";
import classes from "./notifications.module.css";
import { useFollowNotification } from "./use-follow.ts";

function BellIcon() {
  return (
    <svg
      width="22"
      height="22"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** The header's bell: the unread count, and the latest notifications in a panel. */
export function NotificationBell() {
  const { t } = useTranslation("home");
  const [isOpen, setOpen] = useState(false);
  const unread = useQuery(unreadQuery());
  const count = unread.data?.unread ?? 0;
  return (
    <Popover
      opened={isOpen}
      onChange={setOpen}
      position="bottom-end"
      width={340}
      shadow="md"
      withinPortal
      trapFocus
    >
      <Popover.Target>
        <Indicator
          label={count > 99 ? "99+" : count}
          disabled={count === 0}
          size={18}
          color="red"
          offset={6}
          withBorder
        >
          <ActionIcon
            variant="subtle"
            color="dark"
            size="lg"
            onClick={() => setOpen((o) => !o)}
            aria-label={count > 0 ? t("bell.labelUnread", { count }) : t("bell.label")}
            aria-expanded={isOpen}
            data-testid="notification-bell"
          >
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs">{isOpen && <BellPanel onClose={() => setOpen(false)} />}</Popover.Dropdown>
    </Popover>
  );
}

function BellPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation("home");
  const queryClient = useQueryClient();
  const list = useQuery(notificationsQuery(false, 8));
  const readAll = useMutation({
    mutationFn: markAllRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
  const items = list.data?.items ?? [];
  return (
    <Stack gap={4}>
      <Group justify="space-between" px={4} wrap="nowrap">
        <Text fw={700}>{t("bell.heading")}</Text>
        {(list.data?.unread ?? 0) > 0 && (
          <Button
            variant="subtle"
            size="compact-sm"
            onClick={() => readAll.mutate()}
            loading={readAll.isPending}
          >
            {t("bell.markAllRead")}
          </Button>
        )}
      </Group>
      <Divider />
      {list.isPending && (
        <Text size="sm" p="xs">
          …
        </Text>
      )}
      {list.data && items.length === 0 && (
        <Text size="sm" c="dimmed" p="xs">
          {t("bell.empty")}
        </Text>
      )}
      <ul className={classes.panelList}>
        {items.map((n) => (
          <li key={n.id}>
            <BellItem notification={n} onFollow={onClose} />
          </li>
        ))}
      </ul>
      <Divider />
      <ButtonLink to="/notifications" variant="subtle" size="sm" onClick={onClose}>
        {t("bell.seeAll")}
      </ButtonLink>
    </Stack>
  );
}

function BellItem({ notification: n, onFollow }: { notification: NotificationView; onFollow: () => void }) {
  const { t, i18n } = useTranslation("home");
  const lang = i18n.language === "en" ? "en" : "vi";
  const follow = useFollowNotification(n, onFollow);
  return (
    <UnstyledButton
      component="a"
      href={n.link}
      onClick={follow}
      className={classes.item}
      data-unread={n.readAt === null}
    >
      <Text size="sm" fw={n.readAt === null ? 700 : 400} lh={1.35}>
        {n.readAt === null && <span className={classes.visuallyHidden}>{t("bell.unread")}: </span>}
        {n.title[lang]}
      </Text>
      {n.body && (
        <Text size="xs" c="dimmed" lineClamp={2}>
          {n.body[lang]}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {formatDateTime(n.createdAt)}
      </Text>
    </UnstyledButton>
  );
}
