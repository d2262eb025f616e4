import { Badge, Group, Select, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import type { CommuneEvaluation, FrameworkSummary, ThresholdStatus } from "./api.ts";
import { useStandardsText, yearChoices } from "./use-standards-text.ts";

type State = "met" | "not_met" | "no_data";
const stateColour: Record<State, string> = { met: "teal", not_met: "red", no_data: "gray" };

export function StateBadge({ state, size = "sm" }: { state: State; size?: "sm" | "md" | "lg" }) {
  const { t } = useStandardsText();
  return (
    <Badge
      color={stateColour[state]}
      variant={state === "no_data" ? "outline" : "light"}
      size={size}
      style={{ flexShrink: 0, overflow: "visible" }}
    >
      {t(`state.${state}`)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: ThresholdStatus }) {
  const { t } = useStandardsText();
  if (status === "verified") return null;
  return (
    <Badge color={status === "demo" ? "orange" : "yellow"} variant="light" size="xs">
      {t(`status.${status}`)}
    </Badge>
  );
}

/** The framework and year pickers every standards page starts with. */
export function Pickers({
  frameworks,
  framework,
  year,
  onChange,
  extra,
}: {
  frameworks: FrameworkSummary[];
  framework: string;
  year: number;
  onChange: (next: { framework?: string; year?: string }) => void;
  extra?: ReactNode;
}) {
  const { t, name } = useStandardsText();
  return (
    <Group align="flex-end" gap="md" wrap="wrap">
      <Select
        label={t("framework")}
        data={frameworks.map((f) => ({ value: f.code, label: name(f) }))}
        value={framework}
        onChange={(v) => v && onChange({ framework: v })}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
        w={{ base: "100%", sm: 460 }}
      />
      <Select
        label={t("year")}
        data={yearChoices()}
        value={String(year)}
        onChange={(v) => v && onChange({ year: v })}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
        w={{ base: "100%", sm: 140 }}
      />
      {extra}
    </Group>
  );
}

/** The sentence about when the whole standard would be met, naming criteria as "2. Socio-economic infrastructure". */
export function useWholeProjection() {
  const { t, name } = useStandardsText();
  return (e: CommuneEvaluation) => {
    const names = (codes: string[]) =>
      codes
        .map((code) => {
          const c = e.criteria.find((x) => x.code === code);
          return c ? `${c.position}. ${name(c)}` : code;
        })
        .join("; ");
    const p = e.projection;
    if (p.kind === "met") return t("whole.met");
    if (p.kind === "year") return t("whole.year", { year: p.year, names: names(p.binding) });
    if (p.kind === "not_at_this_pace") return t("whole.not_at_this_pace", { names: names(p.blocking) });
    return t("whole.no_data", { names: names(p.missing) });
  };
}

/** Validity and the warning about unverified thresholds, shown under the pickers. */
export function FrameworkNotes({ framework, year }: { framework: FrameworkSummary; year: number }) {
  const { t, date } = useStandardsText();
  const inForce =
    framework.validFrom.slice(0, 4) <= String(year) &&
    (framework.validTo === null || framework.validTo > `${year}-01-01`);
  return (
    <Stack gap={4}>
      {framework.legalBasis && (
        <Text size="sm" c="dimmed">
          {framework.legalBasis}.{" "}
          {framework.validTo
            ? t("validity", { from: date(framework.validFrom), to: date(framework.validTo) })
            : t("validityOpen", { from: date(framework.validFrom) })}
        </Text>
      )}
      {!inForce && (
        <Text size="sm" c="orange.9">
          {t("outsideValidity", { year })}
        </Text>
      )}
      {framework.unverifiedThresholds + framework.demoThresholds > 0 && (
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Badge color="yellow" variant="light" style={{ flexShrink: 0 }}>
            {t("status.unverified")}
          </Badge>
          <Text size="sm" c="dimmed">
            {t("thresholdWarning", { count: framework.unverifiedThresholds, demo: framework.demoThresholds })}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
