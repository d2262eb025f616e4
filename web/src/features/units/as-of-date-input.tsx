import "@mantine/dates/styles.css";
import "dayjs/locale/vi";
import { Button, Group, Stack } from "@mantine/core";
import { DateInput, DatesProvider } from "@mantine/dates";
import { useTranslation } from "react-i18next";
import { parseDisplayDay, todayInVietnam } from "../../lib/dates.ts";

/** The last day of three-level local government: communes left their districts on 1 July 2025. */
export const lastThreeLevelDay = "2025-06-30";

interface AsOfDateInputProps {
  value: string;
  onChange: (isoDay: string) => void;
}

/**
 * "Ngày hiệu lực": typed as dd/mm/yyyy whatever the browser's locale (a native date field follows the browser's
 * language, which on many office PCs is English: mm/dd/yyyy), or picked from a calendar, or one of two shortcuts.
 */
export function AsOfDateInput({ value, onChange }: AsOfDateInputProps) {
  const { t, i18n } = useTranslation();
  const today = todayInVietnam();
  return (
    <DatesProvider settings={{ locale: i18n.language === "en" ? "en" : "vi", firstDayOfWeek: 1 }}>
      <Stack gap={6}>
        <DateInput
          label={t("units.atLabel")}
          description={t("units.atHint")}
          placeholder={t("units.atPlaceholder")}
          value={value}
          valueFormat="DD/MM/YYYY"
          dateParser={parseDisplayDay}
          onChange={(day) => {
            if (day) onChange(day);
          }}
          size="md"
          autoComplete="off"
          popoverProps={{ withinPortal: true }}
        />
        <Group gap="xs">
          <Button
            variant={value === today ? "light" : "subtle"}
            size="compact-sm"
            onClick={() => onChange(today)}
            aria-pressed={value === today}
          >
            {t("units.atToday")}
          </Button>
          <Button
            variant={value === lastThreeLevelDay ? "light" : "subtle"}
            size="compact-sm"
            onClick={() => onChange(lastThreeLevelDay)}
            aria-pressed={value === lastThreeLevelDay}
          >
            {t("units.atBeforeReform")}
          </Button>
        </Group>
      </Stack>
    </DatesProvider>
  );
}
