import { Grid, Stack, Text, Title } from "@mantine/core";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useCallback, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { todayInVietnam } from "../../lib/dates.ts";
import { AsOfDateInput } from "./as-of-date-input.tsx";
import { SearchBox } from "./search-box.tsx";
import { SearchResults } from "./search-results.tsx";
import { UnitTree } from "./unit-tree.tsx";

export const Route = createLazyRoute("/units")({ component: UnitsBrowserPage });

const routeApi = getRouteApi("/units");

/** /units: search by name or code, or walk the hierarchy as it stood on a chosen date. */
function UnitsBrowserPage() {
  const { t } = useTranslation();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const at = search.at ?? todayInVietnam();

  useEffect(() => {
    document.title = `${t("units.title")} — Grassroots`;
  }, [t]);

  const onSearch = useCallback(
    (q: string | undefined) => navigate({ search: (prev) => ({ ...prev, q }), replace: true }),
    [navigate],
  );
  const onDate = useCallback(
    (day: string) => navigate({ search: (prev) => ({ ...prev, at: day }) }),
    [navigate],
  );

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t("units.title")}</Title>
        <Text c="dimmed">{t("units.intro")}</Text>
      </div>
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, sm: 7 }}>
          <SearchBox q={search.q} onSearch={onSearch} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 5 }}>
          <AsOfDateInput value={at} onChange={onDate} />
        </Grid.Col>
      </Grid>
      {search.q ? (
        <SearchResults q={search.q} />
      ) : (
        <UnitTree at={at} atParam={search.at} parent={search.parent} />
      )}
    </Stack>
  );
}
