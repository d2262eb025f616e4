import { NativeSelect } from "@mantine/core";
import { todayInVietnam } from "../../lib/dates.ts";
import type { FormSummary, PeriodType } from "./api.ts";
import { lastEndedPeriod, openPeriods } from "./periods.ts";
import { useReportingText } from "./use-reporting-text.ts";

/*
 * Native selects: on an old phone they open the system's own picker, they work with the keyboard as every office PC
 * user expects (type "2025" to jump to it), and they cost no JavaScript.
 */

export function FormSelect({
  forms,
  value,
  onChange,
}: {
  forms: FormSummary[];
  value: string;
  onChange: (code: string) => void;
}) {
  const { t, name } = useReportingText();
  return (
    <NativeSelect
      label={t("picker.form")}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={forms.map((f) => ({
        value: f.code,
        label: f.isIllustrative ? `${name(f)} — ${t("illustrative")}` : name(f),
      }))}
      size="md"
    />
  );
}

export function PeriodSelect({
  type,
  value,
  onChange,
  withHint = false,
}: {
  type: PeriodType;
  value: string;
  onChange: (code: string) => void;
  withHint?: boolean;
}) {
  const { t, periodLabel } = useReportingText();
  const options = openPeriods(type, todayInVietnam());
  // A period picked by address that is not in the list (older than the list goes) stays selectable.
  const known = options.some((o) => o.code === value);
  // A year stands alone in the list, so that typing "2025" jumps to it.
  const label = (code: string) => (type === "yearly" ? code : periodLabel(code, type));
  return (
    <NativeSelect
      label={t("picker.period")}
      description={withHint ? t("picker.periodHint") : undefined}
      inputWrapperOrder={["label", "input", "description", "error"]}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        ...(known ? [] : [{ value, label: label(value) }]),
        ...options.map((o) => ({ value: o.code, label: label(o.code) })),
      ]}
      size="md"
    />
  );
}

/**
 * The period a form is being reported for now, the default everywhere a period is asked for: the latest that has
 * ended (a report is due after its period), not the one still running — on 1 December 2026 that is 2025, whose
 * report is overdue, not 2026.
 */
export function defaultPeriod(type: PeriodType): string {
  return lastEndedPeriod(type, todayInVietnam()).code;
}
