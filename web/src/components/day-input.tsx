import "@mantine/dates/styles.css";
import "dayjs/locale/vi";
import { DateInput, DatesProvider } from "@mantine/dates";
import { useTranslation } from "react-i18next";
import { parseDisplayDay } from "../lib/dates.ts";

interface DayInputProps {
  label: string;
  description?: string;
  /** An ISO day, or null when empty. */
  value: string | null;
  onChange: (isoDay: string | null) => void;
  error?: string | undefined;
}

/** A day typed as dd/mm/yyyy whatever the browser's locale, or picked from a calendar; may be left empty. */
export function DayInput({ label, description, value, onChange, error }: DayInputProps) {
  const { t, i18n } = useTranslation();
  return (
    <DatesProvider settings={{ locale: i18n.language === "en" ? "en" : "vi", firstDayOfWeek: 1 }}>
      <DateInput
        label={label}
        description={description}
        placeholder="dd/mm/yyyy"
        value={value}
        valueFormat="DD/MM/YYYY"
        dateParser={parseDisplayDay}
        onChange={(day) => onChange(day || null)}
        clearable
        clearButtonProps={{ "aria-label": t("common.clearDay", { label }) }}
        error={error}
        autoComplete="off"
        popoverProps={{ withinPortal: true }}
      />
    </DatesProvider>
  );
}
