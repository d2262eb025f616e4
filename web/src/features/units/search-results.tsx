import { Button, Group, Paper, Stack, Text } from "@mantine/core";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { unitSearchQuery } from "../../api/units.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { IllustrativeBadge, StatusBadge } from "../../components/unit-badges.tsx";
import { formatNumber } from "../../lib/format.ts";
import { versionAt } from "../../lib/units.ts";
import { useUnitText } from "../../lib/use-unit-text.ts";
import classes from "./units.module.css";

/** Search results across all dates: every version whose name or code matches, ended ones marked. */
export function SearchResults({ q }: { q: string }) {
  const { t } = useTranslation();
  const { kindLabel, validityRange } = useUnitText();
  const isSearchable = q.length >= 2;
  const search = useInfiniteQuery({
    ...unitSearchQuery(q),
    enabled: isSearchable,
    placeholderData: keepPreviousData,
  });

  if (!isSearchable) return <Text c="dimmed">{t("units.tooShort")}</Text>;
  if (search.isPending) return <LoadingState />;
  if (search.isError) return <ErrorState error={search.error} onRetry={() => search.refetch()} />;

  const total = search.data.pages[0]?.total ?? 0;
  const items = search.data.pages.flatMap((page) => page.items);
  return (
    <Stack gap="sm" component="section" aria-labelledby="search-results-summary">
      <Text id="search-results-summary" role="status" aria-live="polite" fw={600}>
        {total === 0
          ? t("units.noResults", { q })
          : t("units.results", { count: total, formatted: formatNumber(total), q })}
      </Text>
      <ul className={classes.resultList}>
        {items.map((unit) => {
          const at = versionAt(unit);
          return (
            <li key={`${unit.code}/${unit.validFrom ?? ""}`}>
              <Paper withBorder p="sm">
                <Stack gap={4}>
                  <Group gap="xs" wrap="wrap">
                    <AnchorLink
                      to="/units/$code"
                      params={{ code: unit.code }}
                      search={at ? { at } : {}}
                      fw={600}
                    >
                      {unit.name}
                    </AnchorLink>
                    <StatusBadge version={unit} />
                    <IllustrativeBadge version={unit} />
                  </Group>
                  <Text size="sm">
                    {[
                      t("unit.code", { code: unit.code }),
                      kindLabel(unit.kind),
                      ...unit.ancestors.map((a) => a.name),
                    ].join(" · ")}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {t("validity.label")}: {validityRange(unit)}
                  </Text>
                </Stack>
              </Paper>
            </li>
          );
        })}
      </ul>
      {search.hasNextPage && (
        <Group>
          <Button
            variant="default"
            onClick={() => search.fetchNextPage()}
            loading={search.isFetchingNextPage}
          >
            {t("units.moreResults")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
