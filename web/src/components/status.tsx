import { Alert, Button, Center, Group, Loader, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client.ts";

/** A visible, announced loading line: on a slow connection a blank area looks like a broken page. */
export function LoadingState({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text>{label ?? t("app.loading")}</Text>
      </Group>
    </Center>
  );
}

/** What went wrong, in the UI language, with the server's own message and a way to try again. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const lines: string[] = [];
  // Trying again helps only when the network or the server failed, not when the answer was a refusal.
  let isRetriable = true;
  if (error instanceof ApiError) {
    isRetriable = error.status === 0 || error.status >= 500;
    if (error.code === "network") lines.push(t("error.network"));
    else if (error.isLocalized) lines.push(error.message);
    else lines.push(t("error.generic", { requestId: error.requestId ?? "—" }));
  } else {
    lines.push(t("error.unexpected"));
    if (error instanceof Error && error.message) lines.push(error.message);
  }
  return (
    <Alert color="red" variant="light" title={t("error.title")} role="alert">
      <Stack gap="xs" align="flex-start">
        {lines.map((line) => (
          <Text key={line} size="sm">
            {line}
          </Text>
        ))}
        {onRetry && isRetriable && (
          <Button variant="outline" color="red" size="xs" onClick={onRetry}>
            {t("error.retry")}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
