import { Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { ErrorState } from "../../components/status.tsx";
import { formatTime } from "../../lib/dates.ts";
import type { Entry } from "./api.ts";
import type { EntryStore } from "./entry-store.ts";
import { findElement } from "./report-status-bar.tsx";
import classes from "./reporting.module.css";
import { useEntryMeta } from "./use-entry-store.ts";
import { useReportingText } from "./use-reporting-text.ts";
import { fieldId } from "./value-field.tsx";

const importanceColors = { high: "red", medium: "orange", low: "gray" } as const;

/** The failed checks of the whole form, with a way to run them again and to jump to the fields they name. */
export function ChecksPanel({
  store,
  entry,
  onRun,
}: {
  store: EntryStore;
  entry: Entry;
  onRun: () => Promise<void>;
}) {
  const { t, name, violationMessage } = useReportingText();
  const { violations } = useEntryMeta(store);
  const [isRunning, setRunning] = useState(false);
  const [lastRun, setLastRun] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      await store.settle();
      await onRun();
      setLastRun(new Date().toISOString());
    } catch (err: unknown) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Paper withBorder p="md" component="section" id="checks" aria-labelledby="checks-heading">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h4" id="checks-heading">
            {t("checks.title")}
          </Title>
          <Button size="compact-md" variant="light" loading={isRunning} onClick={run}>
            {t("checks.run")}
          </Button>
        </Group>
        <div role="status" aria-live="polite">
          <Text size="sm" fw={600} c={violations.length ? "red.9" : "green.9"}>
            {violations.length ? t("checks.count", { count: violations.length }) : t("checks.none")}
          </Text>
          {lastRun && (
            <Text size="xs" c="dimmed">
              {t("checks.lastRun", { time: formatTime(lastRun) })}
            </Text>
          )}
        </div>
        {error !== null && <ErrorState error={error} />}
        {violations.length > 0 && (
          <ul className={classes.plainList}>
            {violations.map((v) => (
              <li key={`${v.code}-${v.elements.join(",")}`}>
                <Stack gap={2}>
                  <Group gap={6}>
                    <Badge size="sm" variant="light" color={importanceColors[v.importance]}>
                      {t(`checks.importance.${v.importance}`)}
                    </Badge>
                    {v.importance === "high" && (
                      <Text size="xs" c="red.9" fw={600}>
                        {t("checks.blocking")}
                      </Text>
                    )}
                  </Group>
                  <Text size="sm">{violationMessage(v)}</Text>
                  <Group gap={4}>
                    {v.elements.map((code) => {
                      const element = findElement(entry, code);
                      return (
                        <Button
                          key={code}
                          variant="subtle"
                          size="compact-xs"
                          onClick={() => document.getElementById(fieldId(code))?.focus()}
                        >
                          {t("checks.goTo", { name: element ? name(element) : code })}
                        </Button>
                      );
                    })}
                  </Group>
                </Stack>
              </li>
            ))}
          </ul>
        )}
      </Stack>
    </Paper>
  );
}
