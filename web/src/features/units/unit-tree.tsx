import { Alert, Breadcrumbs, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { ApiError } from "../../api/client.ts";
import type { UnitAncestor, UnitList } from "../../api/types.ts";
import { unitChildrenQuery, unitHistoryQuery } from "../../api/units.ts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { formatDay } from "../../lib/dates.ts";
import { isIllustrative, lastVersionName } from "../../lib/units.ts";
import { useUnitText } from "../../lib/use-unit-text.ts";
import { UnitTable } from "./unit-table.tsx";

interface UnitTreeProps {
  /** The as-of date, resolved (today when the address has none). */
  at: string;
  /** The as-of date as written in the address: kept as is in links, so "today" stays "today" when shared. */
  atParam: string | undefined;
  /** The unit whose children are shown; the provinces when absent. */
  parent: string | undefined;
}

/** The hierarchy on one date: provinces → (districts →) communes → villages, one level at a time. */
export function UnitTree({ at, atParam, parent }: UnitTreeProps) {
  const { t } = useUnitText();
  const children = useQuery(unitChildrenQuery(parent, at));
  const parentUnit = useQuery({ ...unitHistoryQuery(parent ?? "", at), enabled: parent !== undefined });

  const trail: UnitAncestor[] = parentUnit.data
    ? [...parentUnit.data.selected.ancestors].reverse().concat({
        code: parentUnit.data.selected.code,
        name: parentUnit.data.selected.name,
        level: parentUnit.data.selected.level,
      })
    : [];

  const heading = t("units.treeHeading", { date: formatDay(at) });
  return (
    <Stack gap="sm" component="section" aria-labelledby="unit-tree-heading">
      <Title order={2} size="h3" id="unit-tree-heading">
        {heading}
      </Title>
      <Breadcrumbs
        component="nav"
        aria-label={t("units.treeLabel")}
        separator="›"
        separatorMargin={6}
        style={{ flexWrap: "wrap", rowGap: 4 }}
      >
        {parent ? (
          <AnchorLink to="/units" search={{ at: atParam }}>
            {t("units.treeRoot")}
          </AnchorLink>
        ) : (
          <Text component="span" fw={600} aria-current="location">
            {t("units.treeRoot")}
          </Text>
        )}
        {trail.map((unit, index) =>
          index === trail.length - 1 ? (
            <Text component="span" fw={600} key={unit.code} aria-current="location">
              {unit.name}
            </Text>
          ) : (
            <AnchorLink key={unit.code} to="/units" search={{ at: atParam, parent: unit.code }}>
              {unit.name}
            </AnchorLink>
          ),
        )}
        {parent && !parentUnit.data && (
          <Text component="span" c="dimmed">
            {parent}
          </Text>
        )}
      </Breadcrumbs>

      {parentUnit.isError && (
        <MissingParent error={parentUnit.error} code={parent ?? ""} at={at} atParam={atParam} />
      )}
      {children.isPending && <LoadingState />}
      {children.isError && <ErrorState error={children.error} onRetry={() => children.refetch()} />}
      {children.data && !parentUnit.isError && (
        <TreeLevel list={children.data} atParam={atParam} caption={heading} />
      )}
    </Stack>
  );
}

/** One level of the tree: the count, and the units with links down the tree and to each record. */
function TreeLevel({
  list,
  atParam,
  caption,
}: {
  list: UnitList;
  atParam: string | undefined;
  caption: string;
}) {
  const { t, count } = useUnitText();
  if (list.items.length === 0) return <Text>{t("units.treeEmpty")}</Text>;
  return (
    <>
      <Group justify="space-between" gap="xs">
        <Text size="sm" c="dimmed">
          {list.items.length < list.total
            ? t("units.treeShown", {
                shown: count(list.items.length),
                total: count(list.total),
              })
            : t("units.treeCount", {
                count: list.total,
                formatted: count(list.total),
              })}
        </Text>
        {list.items.some(isIllustrative) && (
          <Text size="sm" c="dimmed">
            {t("status.illustrativeHint")}
          </Text>
        )}
      </Group>
      <UnitTable
        caption={caption}
        units={list.items}
        renderName={(unit) =>
          unit.childCount ? (
            <AnchorLink to="/units" search={{ at: atParam, parent: unit.code }} fw={600}>
              {unit.name}
            </AnchorLink>
          ) : (
            <AnchorLink to="/units/$code" params={{ code: unit.code }} search={{ at: atParam }} fw={600}>
              {unit.name}
            </AnchorLink>
          )
        }
        renderAction={(unit) =>
          unit.childCount ? (
            <AnchorLink
              to="/units/$code"
              params={{ code: unit.code }}
              search={{ at: atParam }}
              size="sm"
              aria-label={t("units.openDetailsOf", { name: unit.name })}
            >
              {t("units.openDetails")}
            </AnchorLink>
          ) : null
        }
      />
    </>
  );
}

/** The unit in the address did not exist on the chosen date (typically: the date moved past a reorganisation). */
function MissingParent(props: { error: unknown; code: string; at: string; atParam: string | undefined }) {
  const { t } = useUnitText();
  if (!(props.error instanceof ApiError) || props.error.status !== 404) {
    return <ErrorState error={props.error} />;
  }
  const name = lastVersionName(props.error.details) ?? props.code;
  return (
    <Alert color="yellow" variant="light" role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{t("units.treeMissingParent", { name, date: formatDay(props.at) })}</Text>
        <Group gap="xs">
          <ButtonLink to="/units" search={{ at: props.atParam }} size="xs" variant="outline">
            {t("units.treeBackToRoot")}
          </ButtonLink>
          <AnchorLink to="/units/$code" params={{ code: props.code }} size="sm">
            {t("units.openDetailsOf", { name })}
          </AnchorLink>
        </Group>
      </Stack>
    </Alert>
  );
}
