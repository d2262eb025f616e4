import { Alert, Button, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, useRouter } from "@tanstack/react-router";
import type { TFunction } from "i18next";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { authKeys, type Me, signIn } from "../../api/auth.ts";
import { ApiError } from "../../api/client.ts";
import { PasswordField } from "../../components/password-field.tsx";
import { forgetAccountData } from "./session.ts";

export const Route = createLazyRoute("/sign-in")({ component: SignInPage });

const routeApi = getRouteApi("/sign-in");

/** Whole seconds to wait, when the server said. */
function secondsToWait(details: unknown): number | null {
  const seconds =
    typeof details === "object" && details !== null && "retryAfterSeconds" in details
      ? Number((details as { retryAfterSeconds: unknown }).retryAfterSeconds)
      : Number.NaN;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : null;
}

/** Whole minutes to wait, rounded up: "try again in 0 minutes" would be a lie. */
function minutesToWait(details: unknown): number {
  const seconds =
    typeof details === "object" && details !== null && "retryAfterSeconds" in details
      ? Number((details as { retryAfterSeconds: unknown }).retryAfterSeconds)
      : Number.NaN;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds / 60)) : 15;
}

/** Each refusal of the server in the UI language; unknown ones with the server's own words. */
function signInError(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t("error.unexpected");
  switch (error.code) {
    case "invalid_credentials":
      return t("auth.invalidCredentials");
    case "account_locked":
      return t("auth.accountLocked", { count: minutesToWait(error.details) });
    case "too_many_attempts": {
      // A short wait (the per-name backoff, seconds) is said in seconds; the address limit in minutes.
      const seconds = secondsToWait(error.details);
      return seconds !== null && seconds < 60
        ? t("auth.tooManyAttemptsSeconds", { count: seconds })
        : t("auth.tooManyAttempts", { count: minutesToWait(error.details) });
    }
    case "network":
      return t("error.network");
    default:
      return t("error.server", { message: error.message });
  }
}

/** /sign-in?next=…: sign-in name and password; then on to `next`, or the home page. */
function SignInPage() {
  const { t } = useTranslation();
  const { next, reason } = routeApi.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t("auth.title")} — Grassroots`;
  }, [t]);

  const mutation = useMutation({
    mutationFn: signIn,
    onSuccess: async (user) => {
      forgetAccountData(queryClient);
      queryClient.setQueryData<Me>(authKeys.me, { user });
      await router.navigate({ href: next ?? "/", replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "invalid_credentials") {
        setPassword("");
        passwordRef.current?.focus();
      }
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const isMissing = { username: username.trim() === "", password: password === "" };
    setMissing(isMissing);
    if (isMissing.username || isMissing.password) return;
    mutation.mutate({ username: username.trim(), password });
  };

  return (
    <Stack maw={420} mx="auto" py={{ base: "md", sm: "xl" }} gap="md">
      <div>
        <Title order={1}>{t("auth.title")}</Title>
        <Text c="dimmed">{t("auth.intro")}</Text>
      </div>
      {reason === "expired" && (
        <Alert color="yellow" variant="light" role="status">
          {t("auth.sessionExpired")}
        </Alert>
      )}
      {reason === "required" && (
        <Alert color="blue" variant="light" role="status">
          {t("auth.signInNeeded")}
        </Alert>
      )}
      {mutation.isError && (
        <Alert color="red" variant="light" role="alert" title={t("auth.failedTitle")}>
          {signInError(t, mutation.error)}
        </Alert>
      )}
      <Paper withBorder p={{ base: "md", sm: "lg" }} component="form" onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t("auth.username")}
            value={username}
            onChange={(event) => setUsername(event.currentTarget.value)}
            error={missing.username ? t("common.required") : undefined}
            autoComplete="username"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={64}
            size="md"
            data-autofocus
            autoFocus
          />
          <PasswordField
            ref={passwordRef}
            label={t("auth.password")}
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={missing.password ? t("common.required") : undefined}
            autoComplete="current-password"
            maxLength={200}
            size="md"
          />
          <Button type="submit" size="md" fullWidth loading={mutation.isPending}>
            {t("auth.submit")}
          </Button>
        </Stack>
      </Paper>
      <Text size="sm" c="dimmed">
        {t("auth.forgot")}
      </Text>
    </Stack>
  );
}
