import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorState } from "../../components/status.tsx";
import { type BenefitKind, disastersQuery, type Programme, type ProgrammeFields } from "./support-api.ts";
import { type SupportT, useSupportText } from "./use-support-text.ts";

const kinds: BenefitKind[] = ["package", "cash", "goods"];

/** The programme's fields from a stored one, or empty for a new one (optionally linked to a disaster). */
export function programmeFields(p?: Programme, disasterId?: number): ProgrammeFields {
  return {
    name: p?.name ?? "",
    funder: p?.funder ?? "",
    eligiblePoor: p?.eligiblePoor ?? false,
    eligibleNearPoor: p?.eligibleNearPoor ?? false,
    eligiblePolicy: p?.eligiblePolicy ?? false,
    disasterId: p?.disaster?.id ?? disasterId ?? null,
    benefitKind: p?.benefitKind ?? (disasterId ? "cash" : "package"),
    benefitAmount: p?.benefitAmount ?? 0,
    benefitDescription: p?.benefitDescription ?? null,
  };
}

/** "hộ nghèo, gia đình chính sách, bị ảnh hưởng bởi Lũ quét …": the rule as a sentence. */
export function rulesText(t: SupportT, p: Programme): string {
  const rules = [
    p.eligiblePoor ? t("rules.poor") : null,
    p.eligibleNearPoor ? t("rules.near_poor") : null,
    p.eligiblePolicy ? t("rules.policy") : null,
    p.disaster ? t("rules.disaster", { name: p.disaster.name }) : null,
  ].filter((r): r is string => r !== null);
  return rules.join(", ");
}

/** "Gói quà — Gói quà Tết" or "Tiền mặt — 3.000.000 ₫ mỗi hộ". */
export function benefitText(
  t: SupportT,
  money: (n: number) => string,
  p: Pick<Programme, "benefitKind" | "benefitAmount" | "benefitDescription">,
): string {
  const what =
    p.benefitKind === "cash"
      ? t("programme.perHousehold", { amount: money(p.benefitAmount) })
      : (p.benefitDescription ?? "");
  return what ? `${t(`kinds.${p.benefitKind}`)} — ${what}` : t(`kinds.${p.benefitKind}`);
}

/**
 * Create or edit a programme: name, funder, whom it reaches (any combination, evaluated on each cycle's date), what
 * each household gets. The disasters offered are those of the unit's province (or that struck the commune).
 */
export function ProgrammeForm({
  unit,
  initial,
  title,
  submitLabel,
  onSubmit,
  onCancel,
  isPending,
  error,
}: {
  unit: string;
  initial: ProgrammeFields;
  title: string;
  submitLabel: string;
  onSubmit: (fields: ProgrammeFields) => void;
  onCancel: () => void;
  isPending: boolean;
  error: unknown;
}) {
  const { t } = useSupportText();
  const [f, setF] = useState<ProgrammeFields>(initial);
  const [tried, setTried] = useState(false);
  const where = unit.length <= 2 ? { province: unit } : { commune: unit };
  const events = useQuery(disastersQuery(where));
  const set = <K extends keyof ProgrammeFields>(key: K, value: ProgrammeFields[K]) =>
    setF((old) => ({ ...old, [key]: value }));
  const hasRule = f.eligiblePoor || f.eligibleNearPoor || f.eligiblePolicy || f.disasterId !== null;
  const isComplete = f.name.trim() !== "" && f.funder.trim() !== "" && hasRule;
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (isComplete)
            onSubmit({
              ...f,
              benefitDescription: f.benefitDescription?.trim() ? f.benefitDescription : null,
            });
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4">
            {title}
          </Title>
          <TextInput
            label={t("form.name")}
            placeholder={t("form.namePlaceholder")}
            value={f.name}
            onChange={(e) => set("name", e.currentTarget.value)}
            required
            maxLength={200}
          />
          <TextInput
            label={t("form.funder")}
            value={f.funder}
            onChange={(e) => set("funder", e.currentTarget.value)}
            required
            maxLength={200}
          />
          <Stack gap={6} role="group" aria-label={t("form.eligibility")}>
            <Text size="sm" fw={500}>
              {t("form.eligibility")}
            </Text>
            <Text size="xs" c="dimmed">
              {t("form.eligibilityHint")}
            </Text>
            <Group gap="lg">
              <Checkbox
                label={t("form.poor")}
                checked={f.eligiblePoor}
                onChange={(e) => set("eligiblePoor", e.currentTarget.checked)}
              />
              <Checkbox
                label={t("form.nearPoor")}
                checked={f.eligibleNearPoor}
                onChange={(e) => set("eligibleNearPoor", e.currentTarget.checked)}
              />
              <Checkbox
                label={t("form.policy")}
                checked={f.eligiblePolicy}
                onChange={(e) => set("eligiblePolicy", e.currentTarget.checked)}
              />
            </Group>
            <NativeSelect
              label={t("form.disaster")}
              value={f.disasterId === null ? "" : String(f.disasterId)}
              onChange={(e) =>
                set("disasterId", e.currentTarget.value ? Number(e.currentTarget.value) : null)
              }
              data={[
                { value: "", label: t("form.disasterNone") },
                ...(events.data?.items ?? []).map((d) => ({ value: String(d.id), label: d.name })),
              ]}
            />
            {tried && !hasRule && (
              <Text size="sm" c="red" role="alert">
                {t("form.noRule")}
              </Text>
            )}
          </Stack>
          <Group grow align="start" wrap="wrap">
            <NativeSelect
              label={t("form.benefitKind")}
              value={f.benefitKind}
              onChange={(e) => set("benefitKind", e.currentTarget.value as BenefitKind)}
              data={kinds.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
              miw={160}
            />
            {f.benefitKind === "cash" ? (
              <NumberInput
                label={t("form.benefitAmount")}
                value={f.benefitAmount}
                onChange={(v) => set("benefitAmount", typeof v === "number" ? v : Number(v) || 0)}
                min={0}
                step={100_000}
                thousandSeparator="."
                decimalSeparator=","
                allowDecimal={false}
                allowNegative={false}
                suffix=" ₫"
                miw={160}
              />
            ) : (
              <TextInput
                label={t("form.benefitDescription")}
                placeholder={t("form.benefitDescriptionPlaceholder")}
                value={f.benefitDescription ?? ""}
                onChange={(e) => set("benefitDescription", e.currentTarget.value)}
                maxLength={300}
                miw={160}
              />
            )}
          </Group>
          {error ? <ErrorState error={error} /> : null}
          <Group>
            <Button type="submit" loading={isPending}>
              {submitLabel}
            </Button>
            <Button variant="default" onClick={onCancel}>
              {t("form.cancel")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
