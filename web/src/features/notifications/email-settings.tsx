import { Alert, Button, Checkbox, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { fieldErrors } from "../../api/client.ts";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { notificationKeys, type SettingsView, saveSettings, settingsQuery } from "./api.ts";

/** My account: the address notifications are e-mailed to, and which kinds go by e-mail. */
export function EmailSettingsSection() {
  const { t } = useTranslation("home");
  const settings = useQuery(settingsQuery());
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="email-settings-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="email-settings-heading">
          {t("email.heading")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("email.intro")}
        </Text>
        {settings.isPending && <LoadingState />}
        {settings.isError && <ErrorState error={settings.error} onRetry={() => settings.refetch()} />}
        {settings.data && <SettingsForm settings={settings.data} />}
      </Stack>
    </Paper>
  );
}

function SettingsForm({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation("home");
  const queryClient = useQueryClient();
  const [email, setEmail] = useState(settings.email ?? "");
  const [kinds, setKinds] = useState<string[]>(settings.emailKinds);
  const [isSaved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      saveSettings({ email: email.trim() || null, emailKinds: kinds, expectedVersion: settings.version }),
    onSuccess: (next) => {
      queryClient.setQueryData(notificationKeys.settings, next);
      setSaved(true);
    },
  });
  const emailError = fieldErrors(save.error).some((f) => f.field === "email")
    ? t("email.invalidAddress")
    : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          type="email"
          label={t("email.address")}
          description={t("email.addressHint")}
          value={email}
          onChange={(e) => {
            setEmail(e.currentTarget.value);
            setSaved(false);
          }}
          error={emailError}
          autoComplete="email"
          maw={420}
        />
        <Checkbox.Group
          label={t("email.kinds")}
          value={kinds}
          onChange={(next) => {
            setKinds(next);
            setSaved(false);
          }}
        >
          <Stack gap={6} mt={6}>
            {settings.kinds.map((kind) => (
              <Checkbox key={kind} value={kind} label={t(`email.kind.${kind}` as "email.kind.returned")} />
            ))}
          </Stack>
        </Checkbox.Group>
        {save.isError && !emailError && <ErrorState error={save.error} />}
        {isSaved && (
          <Alert color="green" variant="light" role="status" p="xs">
            {t("email.saved")}
          </Alert>
        )}
        <div>
          <Button type="submit" loading={save.isPending}>
            {t("email.save")}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
