import { Group, List, Paper, Stack, Text, Title } from "@mantine/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ButtonLink } from "../../components/links.tsx";
import classes from "./home.module.css";

/** What a signed-out visitor sees at /: what Grassroots is, who it is for, and how to sign in. */
export function LandingPage() {
  const { t } = useTranslation("home");
  useEffect(() => {
    document.title = "Grassroots";
  }, []);
  return (
    <Stack gap="lg" className={classes.landing} py="md">
      <Title order={1}>{t("landing.title")}</Title>
      <Text size="lg">{t("landing.lead")}</Text>
      <List spacing="xs">
        <List.Item>{t("landing.forCommune")}</List.Item>
        <List.Item>{t("landing.forProvince")}</List.Item>
        <List.Item>{t("landing.forEveryone")}</List.Item>
      </List>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="sm">
            <ButtonLink to="/sign-in" search={{ next: "/" }} size="md">
              {t("landing.signIn")}
            </ButtonLink>
            <ButtonLink to="/units" variant="light" size="md">
              {t("landing.browseUnits")}
            </ButtonLink>
          </Group>
          <Text size="sm" c="dimmed">
            {t("landing.howToSignIn")}
          </Text>
        </Stack>
      </Paper>
    </Stack>
  );
}
