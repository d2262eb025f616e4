import { Button, Popover, Stack, Text, Textarea, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { historyQuery } from "./api.ts";
import type { EntryStore, FieldState } from "./entry-store.ts";
import classes from "./reporting.module.css";
import { useReportingText } from "./use-reporting-text.ts";
import { describeStored } from "./values.ts";

/** A small popover per field: the comment on the value, and who changed it when, from what to what. */
export function FieldDetails({
  store,
  field,
  isReadOnly,
  myId,
  isInitiallyOpen = false,
}: {
  store: EntryStore;
  field: FieldState;
  isReadOnly: boolean;
  myId: number | undefined;
  /** Opened by the click that loaded it (value-field.tsx loads this popover on first use). */
  isInitiallyOpen?: boolean;
}) {
  const { t, name } = useReportingText();
  const [isOpen, setOpen] = useState(isInitiallyOpen);
  const code = field.element.code;
  return (
    <Popover
      opened={isOpen}
      onChange={setOpen}
      position="bottom-end"
      width="min(22rem, calc(100vw - 2rem))"
      trapFocus
      returnFocus
      withinPortal
      shadow="md"
    >
      <Popover.Target>
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={() => setOpen((open) => !open)}
          aria-label={t("field.detailsOf", { name: name(field.element) })}
          aria-expanded={isOpen}
          className={classes.detailsButton}
        >
          {t("field.details")}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Textarea
            label={t("field.comment")}
            description={t("field.commentHint")}
            value={field.comment}
            readOnly={isReadOnly}
            autosize
            minRows={2}
            maxRows={6}
            onChange={(event) => store.setComment(code, event.currentTarget.value)}
            onBlur={() => store.commit(code)}
          />
          {isOpen && <History store={store} field={field} myId={myId} />}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

function History({ store, field, myId }: { store: EntryStore; field: FieldState; myId: number | undefined }) {
  const { t, language, who } = useReportingText();
  // Asked again at each opening (never fresh for long), so a save made since shows.
  const history = useQuery(historyQuery(store.target, field.element.code));
  const words = { yes: t("entry.yes"), no: t("entry.no"), empty: t("field.empty") };
  const type = field.element.valueType;
  return (
    <section aria-label={t("field.history")}>
      <Title order={3} size="h5" mb={4}>
        {t("field.history")}
      </Title>
      {history.isPending && <LoadingState />}
      {history.isError && <ErrorState error={history.error} onRetry={() => history.refetch()} />}
      {history.data &&
        (history.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("field.historyEmpty")}
          </Text>
        ) : (
          <ol className={classes.history}>
            {history.data.items.map((item) => {
              const by = who(
                item.actorKind === "system" ? `system:${item.actorId}` : item.actorId,
                myId,
                item.actorName,
              );
              return (
                <li key={`${item.at}-${item.after?.version ?? 0}`}>
                  <Text size="sm">
                    {item.before && item.after && item.before.value === item.after.value
                      ? // Only the comment changed: "46,2 → 46,2" would read as a change that did nothing.
                        t("field.historyComment", {
                          at: formatDateTime(item.at),
                          who: by,
                          comment: item.after.comment ?? "—",
                        })
                      : t("field.historyItem", {
                          at: formatDateTime(item.at),
                          who: by,
                          before: describeStored(item.before?.value, type, language, words),
                          after: describeStored(item.after?.value, type, language, words),
                        })}
                  </Text>
                </li>
              );
            })}
          </ol>
        ))}
    </section>
  );
}
