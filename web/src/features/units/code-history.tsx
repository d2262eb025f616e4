import { Badge, Group, Stack, Text, Timeline, Title } from "@mantine/core";
import type { UnitEvent, UnitHistoryEntry } from "../../api/types.ts";
import { AnchorLink } from "../../components/links.tsx";
import { IllustrativeBadge } from "../../components/unit-badges.tsx";
import { versionAt } from "../../lib/units.ts";
import { useUnitText } from "../../lib/use-unit-text.ts";

const isSame = (a: UnitHistoryEntry, b: UnitHistoryEntry) =>
  a.validFrom === b.validFrom && a.validTo === b.validTo;

/**
 * "Lịch sử mã": every unit that has carried this code, oldest first. A code outlives its units (04168 was
 * Thị trấn Sông Mã until 30/06/2025, then Xã Sông Mã), so this is where a reader sees which one they are on.
 */
export function CodeHistory({
  code,
  versions,
  selected,
}: {
  code: string;
  versions: UnitHistoryEntry[];
  selected: UnitHistoryEntry;
}) {
  const { t, kindLabel, validityPhrase } = useUnitText();
  const active = versions.findIndex((v) => isSame(v, selected));
  return (
    <Stack gap="sm" component="section" aria-labelledby="code-history-heading">
      <Title order={2} size="h3" id="code-history-heading">
        {t("unit.historyHeading")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("unit.historyIntro", { code })}
      </Text>
      <Timeline active={active} bulletSize={16} lineWidth={3} role="list">
        {versions.map((version) => {
          const isSelected = isSame(version, selected);
          const at = versionAt(version);
          return (
            <Timeline.Item
              key={`${version.validFrom ?? ""}/${version.validTo ?? ""}`}
              role="listitem"
              aria-current={isSelected ? "true" : undefined}
              title={
                <Group gap="xs" wrap="wrap">
                  {isSelected ? (
                    <Text component="span" fw={700}>
                      {version.name}
                    </Text>
                  ) : (
                    <AnchorLink to="/units/$code" params={{ code }} search={at ? { at } : {}} fw={600}>
                      {version.name}
                    </AnchorLink>
                  )}
                  {isSelected && (
                    <Badge size="sm" variant="light">
                      {t("unit.viewing")}
                    </Badge>
                  )}
                  <IllustrativeBadge version={version} />
                </Group>
              }
            >
              <Text size="sm" fw={600}>
                {validityPhrase(version)}
              </Text>
              <Text size="sm" c="dimmed">
                {[kindLabel(version.kind), ...version.ancestors.map((a) => a.name)].join(" · ")}
              </Text>
              {version.openedBy && <EventLine label="openedBy" event={version.openedBy} />}
              {version.closedBy && <EventLine label="closedBy" event={version.closedBy} />}
            </Timeline.Item>
          );
        })}
      </Timeline>
    </Stack>
  );
}

function EventLine({ label, event }: { label: "openedBy" | "closedBy"; event: UnitEvent }) {
  const { t, eventKindLabel } = useUnitText();
  const what = [eventKindLabel(event.kind), event.document].filter(Boolean).join(", ");
  return (
    <Text size="sm" c="dimmed">
      {t(`unit.${label}`, { what })}
    </Text>
  );
}
