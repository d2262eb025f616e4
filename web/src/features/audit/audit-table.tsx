import { Button, Stack, Table, Text } from "@mantine/core";
import { Fragment, useState } from "react";
import type { AuditEvent } from "../../api/types.ts";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { diffEntries, isInstant } from "../../lib/audit-diff.ts";
import { formatDateTime } from "../../lib/dates.ts";
import { useAccountText } from "../../lib/use-account-text.ts";
import classes from "./audit.module.css";

/** Who did it: the account's sign-in name, "via an API token", or the system (CLI, jobs). */
export function useActorLabel() {
  const { t } = useAccountText();
  return (actor: AuditEvent["actor"]) => {
    if (actor.kind === "system") return t("audit.actorSystem", { id: actor.id });
    const name = actor.username ?? t("audit.actorUnknown", { id: actor.id });
    return actor.kind === "token" ? t("audit.actorToken", { name }) : name;
  };
}

/** The audit trail, newest first; each event opens to its before → after. */
export function AuditTable({ events }: { events: AuditEvent[] }) {
  const { t, actionLabel, recordKindLabel } = useAccountText();
  const actorLabel = useActorLabel();
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <Table verticalSpacing="xs" className={common.table}>
      <Table.Caption className={common.visuallyHidden}>{t("audit.caption")}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col" visibleFrom="sm">
            {t("audit.colTime")}
          </Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("audit.colActor")}
          </Table.Th>
          <Table.Th scope="col">{t("audit.colAction")}</Table.Th>
          <Table.Th scope="col" visibleFrom="md">
            {t("audit.colRecord")}
          </Table.Th>
          <Table.Th scope="col" visibleFrom="md">
            {t("audit.colUnit")}
          </Table.Th>
          <Table.Th scope="col">
            <span className={common.visuallyHidden}>{t("audit.colChanges")}</span>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {events.map((event) => {
          const isOpen = open.has(event.id);
          const time = formatDateTime(event.at);
          const actor = actorLabel(event.actor);
          const record = t("audit.record", { kind: recordKindLabel(event.recordKind), id: event.recordId });
          const action = actionLabel(event.action);
          const unit = event.unitCode && (
            <AnchorLink to="/units/$code" params={{ code: event.unitCode }}>
              {event.unitCode}
            </AnchorLink>
          );
          return (
            <Fragment key={event.id}>
              <Table.Tr>
                <Table.Td visibleFrom="sm" className={classes.nowrap}>
                  {time}
                </Table.Td>
                <Table.Td visibleFrom="sm">{actor}</Table.Td>
                <Table.Td className={classes.summary}>
                  <Text size="sm" fw={600}>
                    {action}
                  </Text>
                  {/* On a phone time, who, record and unit fold under the action. */}
                  <Stack gap={0} hiddenFrom="sm">
                    <Text size="xs" c="dimmed">
                      {time} · {actor}
                    </Text>
                  </Stack>
                  <Text size="xs" c="dimmed" hiddenFrom="md">
                    {record}
                    {unit && <> · {unit}</>}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="md" className={classes.summary}>
                  {record}
                </Table.Td>
                <Table.Td visibleFrom="md">{unit}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    onClick={() => toggle(event.id)}
                    aria-expanded={isOpen}
                    aria-controls={`audit-event-${event.id}`}
                  >
                    {isOpen ? t("audit.hideChanges") : t("audit.showChanges")}
                  </Button>
                </Table.Td>
              </Table.Tr>
              {isOpen && (
                <Table.Tr className={classes.details}>
                  <Table.Td colSpan={6} id={`audit-event-${event.id}`}>
                    <EventDetails event={event} label={t("audit.changesLabel", { id: event.id, action })} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function EventDetails({ event, label }: { event: AuditEvent; label: string }) {
  const { t, fieldLabel, roleLabel } = useAccountText();
  const entries = diffEntries(event.before, event.after).filter((e) => e.isChanged);
  const show = (key: string, value: unknown): string => {
    if (value === undefined || value === null || value === "") return t("common.none");
    if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
    if (key === "role" && typeof value === "string") return roleLabel(value);
    if (isInstant(value)) return formatDateTime(value);
    if (typeof value === "string" || typeof value === "number") return String(value);
    return JSON.stringify(value);
  };
  return (
    <Stack gap="xs" py={4}>
      {event.reason && <Text size="sm">{t("audit.reason", { reason: event.reason })}</Text>}
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("audit.noChanges")}
        </Text>
      ) : (
        <Table withTableBorder verticalSpacing={4} className={classes.diff}>
          <Table.Caption className={common.visuallyHidden}>{label}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w="30%">
                {t("audit.field")}
              </Table.Th>
              <Table.Th scope="col">{t("audit.before")}</Table.Th>
              <Table.Th scope="col">{t("audit.after")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.key}>
                <Table.Th scope="row">{fieldLabel(entry.key)}</Table.Th>
                <Table.Td className={classes.before}>{show(entry.key, entry.before)}</Table.Td>
                <Table.Td className={classes.after}>{show(entry.key, entry.after)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {event.requestId && (
        <Text size="xs" c="dimmed" className={classes.mono}>
          {t("audit.requestId", { id: event.requestId })}
        </Text>
      )}
    </Stack>
  );
}
