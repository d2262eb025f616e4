import "./mantine-styles.ts";
import { Badge, Group, Progress, Text } from "@mantine/core";
import { useRouterState } from "@tanstack/react-router";
import { AnchorLink } from "../../components/links.tsx";
import type { DirectionStatus, ProposalStatus } from "./api.ts";
import classes from "./sessions.module.css";
import { proposalStatusColors, statusColors, useSessionsText } from "./use-sessions-text.ts";

/** The three parts of the feature, as links under each page's title. */
export function SessionsTabs() {
  const { t } = useSessionsText();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const tabs = [
    {
      to: "/sessions",
      label: t("tabs.meetings"),
      active: pathname === "/sessions" || pathname.startsWith("/sessions/meetings"),
    },
    {
      to: "/sessions/proposals",
      label: t("tabs.proposals"),
      active: pathname.startsWith("/sessions/proposals"),
    },
    {
      to: "/sessions/directions",
      label: t("tabs.directions"),
      active: pathname.startsWith("/sessions/directions"),
    },
  ] as const;
  return (
    <Group gap="md" component="nav" aria-label={t("nav")} className={classes.tabs}>
      {tabs.map((tab) => (
        <AnchorLink
          key={tab.to}
          to={tab.to}
          fw={600}
          aria-current={tab.active ? "page" : undefined}
          className={classes.tab}
        >
          {tab.label}
        </AnchorLink>
      ))}
    </Group>
  );
}

export function StatusBadge({ status }: { status: DirectionStatus }) {
  const { t } = useSessionsText();
  return (
    <Badge color={statusColors[status]} variant="light" radius="sm" className={classes.badge}>
      {t(`status.${status}`)}
    </Badge>
  );
}

export function ProposalStatusBadge({ status, isOverdue }: { status: ProposalStatus; isOverdue?: boolean }) {
  const { t } = useSessionsText();
  return (
    <Group gap={4} wrap="wrap">
      <Badge color={proposalStatusColors[status]} variant="light" radius="sm" className={classes.badge}>
        {t(`proposalStatus.${status}`)}
      </Badge>
      {isOverdue && (
        <Badge color="red" variant="filled" radius="sm" className={classes.badge}>
          {t("proposals.overdue")}
        </Badge>
      )}
    </Group>
  );
}

export function ProgressBar({ value, label }: { value: number; label?: string }) {
  const { percent } = useSessionsText();
  return (
    <Group gap="xs" wrap="nowrap">
      <Progress
        value={value}
        w={80}
        size="md"
        aria-label={label ?? percent(value)}
        color={value === 100 ? "teal" : "blue"}
      />
      <Text size="sm" fw={600} className={classes.nowrap}>
        {percent(value)}
      </Text>
    </Group>
  );
}

export function IllustrativeMark({ show }: { show: boolean }) {
  const { t } = useSessionsText();
  if (!show) return null;
  return (
    <Badge color="yellow.4" variant="filled" autoContrast title={t("illustrativeHint")}>
      {t("illustrative")}
    </Badge>
  );
}

/** Comma- or space-separated unit codes as typed → the list. */
export const splitCodes = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);
