import { Badge, Button, Group, Paper, Spoiler, Stack, Text, Title } from "@mantine/core";
import { useId, useState } from "react";
import type { LineageLink, UnitEvent } from "../../api/types.ts";
import { AnchorLink } from "../../components/links.tsx";
import { StatusBadge } from "../../components/unit-badges.tsx";
import { formatDay } from "../../lib/dates.ts";
import { formatShare } from "../../lib/format.ts";
import { versionAt } from "../../lib/units.ts";
import { useUnitText } from "../../lib/use-unit-text.ts";
import { useAnalyticsText } from "../analytics/use-analytics-text.ts";
import { ShareDialog } from "./share-dialog.tsx";
import classes from "./units.module.css";

interface LineageSectionProps {
  heading: string;
  /** Predecessors ("from") have normally ended and successors ("to") normally hold: only the exception is badged. */
  direction: "from" | "to";
  links: LineageLink[];
  /** Shown when there are no links. */
  emptyText: string;
  /** The name of the unit whose page this is; with `canDeclareShares`, partial links offer "Khai báo tỷ lệ". */
  here?: string;
  canDeclareShares?: boolean;
}

/**
 * "Hình thành từ" or "Chuyển thành": the units on the other side of a reorganisation, grouped by the event (one
 * resolution clause usually merges several communes), each linking to exactly that version of the unit.
 */
export function LineageSection({
  heading,
  direction,
  links,
  emptyText,
  here = "",
  canDeclareShares = false,
}: LineageSectionProps) {
  const headingId = useId();
  const groups = groupByEvent(links);
  const [declaring, setDeclaring] = useState<LineageLink | null>(null);
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h3" id={headingId}>
        {heading}
      </Title>
      {groups.length === 0 && <Text c="dimmed">{emptyText}</Text>}
      {groups.map(({ event, links: eventLinks }) => (
        <Paper withBorder p="sm" key={event.id}>
          <Stack gap="sm">
            <EventSummary event={event} />
            <ul className={classes.resultList}>
              {eventLinks.map((link) => (
                <LinkedUnit
                  key={`${link.unit.code}/${link.unit.validFrom ?? ""}`}
                  link={link}
                  direction={direction}
                  onDeclare={
                    canDeclareShares && link.kind === "partial" ? () => setDeclaring(link) : undefined
                  }
                />
              ))}
            </ul>
            <Clause event={event} />
          </Stack>
        </Paper>
      ))}
      <ShareDialog link={declaring} here={here} direction={direction} onClose={() => setDeclaring(null)} />
    </Stack>
  );
}

function groupByEvent(links: LineageLink[]): Array<{ event: UnitEvent; links: LineageLink[] }> {
  const groups = new Map<number, { event: UnitEvent; links: LineageLink[] }>();
  for (const link of links) {
    const group = groups.get(link.event.id) ?? { event: link.event, links: [] };
    group.links.push(link);
    groups.set(link.event.id, group);
  }
  return [...groups.values()].sort((a, b) => a.event.effectiveDate.localeCompare(b.event.effectiveDate));
}

/** "Sáp nhập · Văn bản 1681/NQ-UBTVQH15 · hiệu lực từ 01/07/2025". */
export function EventSummary({ event }: { event: UnitEvent }) {
  const { t, eventKindLabel } = useUnitText();
  return (
    <Text size="sm">
      <Text component="span" fw={700}>
        {eventKindLabel(event.kind)}
      </Text>
      {" · "}
      {event.document ? t("event.document", { document: event.document }) : t("event.noDocument")}
      {" · "}
      {t("event.effective", { date: formatDay(event.effectiveDate) })}
    </Text>
  );
}

function LinkedUnit({
  link,
  direction,
  onDeclare,
}: {
  link: LineageLink;
  direction: "from" | "to";
  onDeclare?: (() => void) | undefined;
}) {
  const { t, kindLabel, validityRange } = useUnitText();
  const shares = useAnalyticsText();
  const at = versionAt(link.unit);
  const share =
    link.kind === "full"
      ? t("unit.linkFull")
      : link.share === null
        ? t("unit.linkPartial")
        : t("unit.linkPartialShare", { share: formatShare(link.share) });
  return (
    <li>
      <Stack gap={2}>
        <Group gap="xs" wrap="wrap">
          <AnchorLink to="/units/$code" params={{ code: link.unit.code }} search={at ? { at } : {}} fw={600}>
            {link.unit.name}
          </AnchorLink>
          <Badge
            variant={link.kind === "full" ? "filled" : "light"}
            color={link.kind === "full" ? "blue" : "violet"}
            title={link.kind === "partial" && link.share === null ? t("unit.linkPartialNoShare") : undefined}
          >
            {share}
          </Badge>
          {direction === "from" ? (
            <StatusBadge version={link.unit} showCurrent hideEnded />
          ) : (
            <StatusBadge version={link.unit} />
          )}
          {onDeclare && (
            <Button
              size="compact-sm"
              variant="light"
              onClick={onDeclare}
              aria-label={shares.t("shares.declareFor", { name: link.unit.name })}
            >
              {link.share === null ? shares.t("shares.declare") : shares.t("shares.edit")}
            </Button>
          )}
        </Group>
        {link.basis && <Text size="sm">{shares.t("shares.basisShown", { basis: link.basis })}</Text>}
        <Text size="sm" c="dimmed">
          {[
            t("unit.code", { code: link.unit.code }),
            kindLabel(link.unit.kind),
            ...link.unit.ancestors.map((a) => a.name),
          ].join(" · ")}
          {" · "}
          {validityRange(link.unit)}
        </Text>
      </Stack>
    </li>
  );
}

/** The resolution's clause is long (a whole paragraph naming every commune): folded after three lines. */
function Clause({ event }: { event: UnitEvent }) {
  const { t } = useUnitText();
  if (!event.clause && !event.note) return null;
  return (
    <Stack gap={4}>
      {event.clause && (
        <>
          <Text size="sm" fw={600}>
            {t("event.clause")}
          </Text>
          <Spoiler maxHeight={63} showLabel={t("event.showClause")} hideLabel={t("event.hideClause")}>
            <Text size="sm" className={classes.clause}>
              {event.clause}
            </Text>
          </Spoiler>
        </>
      )}
      {event.note && (
        <Text size="sm" c="dimmed">
          {t("event.note", { note: event.note })}
        </Text>
      )}
    </Stack>
  );
}
