import { Alert, Button, Stack, Text, Title } from "@mantine/core";
import type { ErrorComponentProps } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { ButtonLink } from "./links.tsx";

/** An address the app does not know. */
export function PageNotFound() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" align="flex-start" py="lg">
      <Title order={1}>{t("error.pageNotFoundTitle")}</Title>
      <Text>{t("error.pageNotFound")}</Text>
      <ButtonLink to="/units">{t("nav.units")}</ButtonLink>
    </Stack>
  );
}

/** A page the signed-in account's role may not open: said plainly, rather than a blank page or a bounce. */
export function AccessDenied({ roleLabel }: { roleLabel: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" align="flex-start" py="lg">
      <Title order={1}>{t("auth.deniedTitle")}</Title>
      <Text>{t("auth.denied", { role: roleLabel })}</Text>
      <ButtonLink to="/units">{t("nav.units")}</ButtonLink>
    </Stack>
  );
}

/** A crash inside a page: say so and offer a reload rather than leave a blank screen. */
export function RouteError({ error }: ErrorComponentProps) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t("error.unexpected")} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
        <Button variant="outline" color="red" size="xs" onClick={() => window.location.reload()}>
          {t("error.reload")}
        </Button>
      </Stack>
    </Alert>
  );
}
