import { Alert, Button, Group, Paper, Stack, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { changePassword } from "../../api/auth.ts";
import { ApiError } from "../../api/client.ts";
import { PasswordField } from "../../components/password-field.tsx";
import { ErrorState } from "../../components/status.tsx";
import { useAccountText } from "../../lib/use-account-text.ts";

interface Fields {
  current: string;
  next: string;
  repeat: string;
}
const empty: Fields = { current: "", next: "", repeat: "" };

/** Current, new, repeat. The server judges strength and says why a password is weak; the form shows that reason. */
export function PasswordForm() {
  const { t, weakPasswordText } = useAccountText();
  const [fields, setFields] = useState<Fields>(empty);
  const [errors, setErrors] = useState<Partial<Record<keyof Fields, string>>>({});
  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: () => setFields(empty),
    onError: (error) => {
      if (error instanceof ApiError && error.code === "wrong_current_password")
        setErrors({ current: t("account.wrongCurrent") });
      else if (error instanceof ApiError && error.code === "weak_password")
        setErrors({ next: weakPasswordText(error) ?? error.message });
    },
  });

  const set = (key: keyof Fields) => (event: React.ChangeEvent<HTMLInputElement>) => {
    const value = event.currentTarget.value;
    setFields((f) => ({ ...f, [key]: value }));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<keyof Fields, string>> = {};
    if (!fields.current) found.current = t("common.required");
    if (!fields.next) found.next = t("common.required");
    if (fields.next && fields.repeat !== fields.next) found.repeat = t("account.mismatch");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    mutation.mutate({ currentPassword: fields.current, newPassword: fields.next });
  };

  const isHandled =
    mutation.error instanceof ApiError &&
    (mutation.error.code === "wrong_current_password" || mutation.error.code === "weak_password");

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="password-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h3" id="password-heading">
            {t("account.passwordHeading")}
          </Title>
          {mutation.isSuccess && (
            <Alert color="green" variant="light" role="status">
              {t("account.passwordChanged")}
            </Alert>
          )}
          {mutation.isError && !isHandled && <ErrorState error={mutation.error} />}
          <PasswordField
            label={t("account.currentPassword")}
            value={fields.current}
            onChange={set("current")}
            error={errors.current}
            autoComplete="current-password"
            maxLength={200}
          />
          <PasswordField
            label={t("account.newPassword")}
            description={t("account.newPasswordHint")}
            value={fields.next}
            onChange={set("next")}
            error={errors.next}
            autoComplete="new-password"
            maxLength={200}
          />
          <PasswordField
            label={t("account.repeatPassword")}
            value={fields.repeat}
            onChange={set("repeat")}
            error={errors.repeat}
            autoComplete="new-password"
            maxLength={200}
          />
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {t("account.changePassword")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
