import { Stack, Text, Title } from "@mantine/core";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { unitChildrenQuery, unitHistoryQuery } from "../../api/units.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { formatShare } from "../../lib/format.ts";
import { versionAt } from "../../lib/units.ts";
import { useAnalyticsText } from "../analytics/use-analytics-text.ts";
import classes from "./units.module.css";

/**
 * "Chuyển thành" of a unit that ended without successors of its own (an old district, abolished on 1 July 2025):
 * each of its units on its last day, with where that one went.
 */
export function ChildrenSuccessors({
  code,
  lastDay,
  headingText,
}: {
  code: string;
  lastDay: string;
  headingText: string;
}) {
  const { t } = useAnalyticsText();
  const headingId = useId();
  const children = useQuery(unitChildrenQuery(code, lastDay));
  const items = children.data?.items ?? [];
  const histories = useQueries({ queries: items.map((c) => unitHistoryQuery(c.code, lastDay)) });
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h3" id={headingId}>
        {headingText}
      </Title>
      {children.isPending && <LoadingState />}
      {children.isError && <ErrorState error={children.error} onRetry={() => children.refetch()} />}
      {children.data && items.length === 0 && <Text c="dimmed">{t("lineage.noneBelow")}</Text>}
      {items.length > 0 && (
        <>
          <Text size="sm">{t("lineage.intro", { count: items.length })}</Text>
          <ul className={classes.resultList}>
            {items.map((child, i) => {
              const successors = histories[i]?.data?.selected.successors ?? [];
              return (
                <li key={child.code}>
                  <Text size="sm">
                    <AnchorLink
                      to="/units/$code"
                      params={{ code: child.code }}
                      search={{ at: lastDay }}
                      fw={600}
                    >
                      {child.name}
                    </AnchorLink>
                    {" → "}
                    {histories[i]?.isPending
                      ? "…"
                      : successors.length === 0
                        ? t("lineage.nowhere")
                        : successors.map((s, k) => {
                            const at = versionAt(s.unit);
                            return (
                              <span key={`${s.unit.code}/${s.unit.validFrom ?? ""}`}>
                                {k > 0 && ", "}
                                <AnchorLink
                                  to="/units/$code"
                                  params={{ code: s.unit.code }}
                                  search={at ? { at } : {}}
                                >
                                  {s.unit.name}
                                </AnchorLink>{" "}
                                (
                                {s.kind === "full"
                                  ? t("lineage.whole")
                                  : s.share === null
                                    ? t("lineage.part")
                                    : t("lineage.partShare", { share: formatShare(s.share) })}
                                )
                              </span>
                            );
                          })}
                  </Text>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </Stack>
  );
}
