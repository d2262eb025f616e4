import { Button, Group, Stack, Text } from "@mantine/core";
import { vietnameseWords } from "../../../../src/modules/reporting/number-text.ts";
import type { EntryContext, PeriodType } from "./api.ts";
import type { EntryStore, FieldState } from "./entry-store.ts";
import { useReportingText } from "./use-reporting-text.ts";
import { formatNumberValue, parseInput } from "./values.ts";

/**
 * The entry screen's guardrails (issue 10): they warn, never block. Beside each field the previous period's value;
 * under it a warning when the new value moves by more than the form's factor or leaves the usual range; and for a
 * number that reads two ways ("1.250"), a question with both readings.
 */

/** Why a numeric value looks unusual, if it does: a big change from the previous period, or outside the usual range. */
export function softWarnings(
  value: number,
  context: EntryContext["elements"][string] | undefined,
  factor: number,
): Array<{ kind: "bigChange"; previous: number } | { kind: "outsideUsual"; min: number; max: number }> {
  const found: Array<
    { kind: "bigChange"; previous: number } | { kind: "outsideUsual"; min: number; max: number }
  > = [];
  const previous =
    context?.previous === null || context?.previous === undefined ? Number.NaN : Number(context.previous);
  if (Number.isFinite(previous) && previous !== 0 && value !== 0) {
    const ratio = value / previous;
    if (ratio > factor || ratio < 1 / factor || ratio < 0) found.push({ kind: "bigChange", previous });
  }
  const min = context?.usualMin ?? null;
  const max = context?.usualMax ?? null;
  if (min !== null && max !== null && (value < min || value > max))
    found.push({ kind: "outsideUsual", min, max });
  return found;
}

export function PreviousValue({
  field,
  context,
  periodType,
}: {
  field: FieldState;
  context: EntryContext | undefined;
  periodType: PeriodType;
}) {
  const { t, language, periodLabel } = useReportingText();
  if (!context?.previousPeriod) return null;
  const period = periodLabel(context.previousPeriod, periodType);
  const previous = context.elements[field.element.code]?.previous ?? null;
  if (previous === null)
    return (
      <Text size="xs" c="dimmed">
        {t("field.previousNone", { period })}
      </Text>
    );
  const n = Number(previous);
  const shown =
    field.element.valueType === "boolean"
      ? previous === "true"
        ? t("entry.yes")
        : t("entry.no")
      : field.element.valueType !== "text" && Number.isFinite(n)
        ? formatNumberValue(n, language)
        : previous;
  return (
    <Text size="xs" c="dimmed">
      {t("field.previous", { period, value: shown })}
    </Text>
  );
}

export function SoftWarnings({ field, context }: { field: FieldState; context: EntryContext | undefined }) {
  const { t, language } = useReportingText();
  if (
    !context ||
    field.typeError ||
    field.element.valueType === "text" ||
    field.element.valueType === "boolean"
  )
    return null;
  const parsed = parseInput(field.text, field.element.valueType, language);
  if (!parsed.ok || typeof parsed.value !== "number") return null;
  const value = parsed.value;
  const warnings = softWarnings(value, context.elements[field.element.code], context.changeFactor);
  if (warnings.length === 0) return null;
  const f = (n: number) => formatNumberValue(n, language);
  return (
    <Stack gap={2} role="note">
      {warnings.map((w) => (
        <Text key={w.kind} size="sm" c="orange.9">
          {w.kind === "bigChange"
            ? `⚠ ${t("field.bigChange", { previous: f(w.previous), value: f(value), factor: f(context.changeFactor) })}`
            : `⚠ ${t("field.outsideUsual", { min: f(w.min), max: f(w.max) })}`}
        </Text>
      ))}
    </Stack>
  );
}

/** "1.250 km: một nghìn hai trăm năm mươi hay một phẩy hai năm?" with a button for each reading. */
export function AmbiguityQuestion({ store, field }: { store: EntryStore; field: FieldState }) {
  const { t, language } = useReportingText();
  if (field.typeError !== "ambiguous" || !field.readings) return null;
  const { grouped, decimal } = field.readings;
  const words = (n: number) => (language === "vi" ? vietnameseWords(n) : formatNumberValue(n, "en"));
  const unit = field.element.unitOfMeasure ? ` ${field.element.unitOfMeasure}` : "";
  return (
    <Stack gap={6} role="alert">
      <Text size="sm" fw={600}>
        {t("field.ambiguousQuestion", {
          text: field.text.trim(),
          unit,
          groupedWords: words(grouped),
          decimalWords: words(decimal),
        })}
      </Text>
      <Group gap="xs">
        {[grouped, decimal].map((value) => (
          <Button
            key={value}
            size="compact-sm"
            variant="light"
            onClick={() => store.chooseReading(field.element.code, value)}
          >
            {t("field.ambiguousChoice", { value: formatNumberValue(value, language), words: words(value) })}
          </Button>
        ))}
      </Group>
    </Stack>
  );
}
