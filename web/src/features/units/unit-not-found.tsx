import { Alert, Stack, Text, Title } from "@mantine/core";
import { useEffect } from "react";
import type { ApiError } from "../../api/client.ts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { formatDay, todayInVietnam } from "../../lib/dates.ts";
import { readVersions, versionAt } from "../../lib/units.ts";
import { useUnitText } from "../../lib/use-unit-text.ts";
import classes from "./units.module.css";

/** 404 in the UI language: no unit ever had this code, or none had it on the date asked for. */
export function UnitNotFound({ code, at, error }: { code: string; at: string | undefined; error: ApiError }) {
  const { t, validityRange } = useUnitText();
  const versions = error.code === "unit_not_found_at_date" ? readVersions(error.details) : [];

  useEffect(() => {
    document.title = `${t("unit.notFoundTitle")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="md" align="flex-start">
      <Title order={1}>{t("unit.notFoundTitle")}</Title>
      <Alert color="orange" variant="light" role="alert" w="100%">
        {error.code === "unit_not_found_at_date" ? (
          <Stack gap="xs">
            <Text size="sm">
              {t("unit.notFoundAtDate", { code, date: formatDay(at ?? todayInVietnam()) })}
            </Text>
            <ul className={classes.resultList}>
              {versions.map((version) => {
                const versionDate = versionAt(version);
                return (
                  <li key={`${version.validFrom ?? ""}/${version.validTo ?? ""}`}>
                    <AnchorLink
                      to="/units/$code"
                      params={{ code }}
                      search={versionDate ? { at: versionDate } : {}}
                      fw={600}
                    >
                      {version.name}
                    </AnchorLink>{" "}
                    <Text component="span" size="sm">
                      ({validityRange(version)})
                    </Text>
                  </li>
                );
              })}
            </ul>
          </Stack>
        ) : (
          <Text size="sm">{t("unit.notFound", { code })}</Text>
        )}
      </Alert>
      <ButtonLink to="/units" search={{}}>
        {t("unit.searchInstead")}
      </ButtonLink>
    </Stack>
  );
}
