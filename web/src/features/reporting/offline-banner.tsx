import { Alert, Button, Stack, Text } from "@mantine/core";
import type { EntryStore } from "./entry-store.ts";
import { valueQueue } from "./offline-queue.ts";
import classes from "./reporting.module.css";
import { useEntryMeta, useQueuedValues } from "./use-entry-store.ts";
import { useReportingText } from "./use-reporting-text.ts";
import { describeRaw } from "./values.ts";

/**
 * "Mất kết nối – N giá trị đang chờ gửi", with the list of what is waiting: the person can see that nothing typed
 * offline is lost, and what still has to go out.
 */
export function OfflineBanner({ store }: { store: EntryStore }) {
  const { t, language, name } = useReportingText();
  const meta = useEntryMeta(store);
  useQueuedValues();
  const waiting = store.queued();
  if (meta.isOnline && waiting.length === 0) return null;
  if (waiting.length === 0)
    return (
      <Alert color="orange" variant="light" role="status">
        <Text size="sm">{t("offline.offlineNow")}</Text>
      </Alert>
    );
  const words = { yes: t("entry.yes"), no: t("entry.no"), empty: t("field.empty") };
  const title = meta.isOnline
    ? t("offline.titleOnline", { count: waiting.length })
    : t("offline.title", { count: waiting.length });
  return (
    <Alert color="orange" variant="light" role="status" title={title} aria-label={title}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">
          {meta.isSessionEnded
            ? t("offline.sessionEnded")
            : meta.isOnline
              ? t("offline.introOnline")
              : t("offline.intro")}
        </Text>
        <ul className={classes.queueList} aria-label={title}>
          {waiting.map((item) => {
            const type = store.getField(item.element)?.element.valueType ?? "text";
            return (
              <li key={item.key}>
                <Text size="sm">
                  {t("offline.item", {
                    name: name({ nameVi: item.names.vi, nameEn: item.names.en }),
                    value: describeRaw(item.value, type, language, words),
                  })}
                </Text>
              </li>
            );
          })}
        </ul>
        {!valueQueue.isPersistent() && (
          <Text size="sm" c="red.9">
            {t("offline.notPersistent")}
          </Text>
        )}
        <Button size="compact-sm" variant="default" loading={meta.isFlushing} onClick={() => store.flush()}>
          {t("offline.retry")}
        </Button>
      </Stack>
    </Alert>
  );
}
