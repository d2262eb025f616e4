import { Button, Grid, Group, Select, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { DayInput } from "../../components/day-input.tsx";
import { knownRecordKinds, useAccountText } from "../../lib/use-account-text.ts";
import type { AuditSearch } from "../../router.tsx";

interface AuditFiltersProps {
  value: AuditSearch;
  /** The people to choose from: id → label. */
  people: Array<{ value: string; label: string }>;
  onApply: (filters: AuditSearch) => void;
}

/** Who, which unit, which kind of record, between which days. Applied on "Lọc" (or Enter), kept in the address. */
export function AuditFilters({ value, people, onApply }: AuditFiltersProps) {
  const { t, recordKindLabel } = useAccountText();
  const [user, setUser] = useState<string | null>(value.user ?? null);
  const [unit, setUnit] = useState(value.unit ?? "");
  const [kind, setKind] = useState<string | null>(value.kind ?? null);
  const [from, setFrom] = useState<string | null>(value.from ?? null);
  const [to, setTo] = useState<string | null>(value.to ?? null);
  const [rangeError, setRangeError] = useState<string | undefined>();

  const kinds = [
    ...knownRecordKinds,
    ...(value.kind && !knownRecordKinds.some((k) => k === value.kind) ? [value.kind] : []),
  ];
  const peopleOptions =
    value.user && !people.some((p) => p.value === value.user)
      ? [...people, { value: value.user, label: value.user }]
      : people;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (from && to && from > to) {
      setRangeError(t("audit.fromAfterTo"));
      return;
    }
    setRangeError(undefined);
    onApply({
      user: user ?? undefined,
      unit: unit.trim() || undefined,
      kind: kind ?? undefined,
      from: from ?? undefined,
      to: to ?? undefined,
    });
  };

  return (
    <search>
      <form onSubmit={onSubmit} noValidate aria-label={t("audit.filtersLabel")}>
        <Grid gap="sm" align="flex-end">
          <Grid.Col span={{ base: 12, xs: 6, md: 4 }}>
            <Select
              label={t("audit.user")}
              placeholder={t("audit.anyone")}
              data={peopleOptions}
              value={user}
              onChange={setUser}
              searchable
              clearable
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, xs: 6, md: 4 }}>
            <TextInput
              label={t("audit.unit")}
              placeholder={t("audit.unitHint")}
              value={unit}
              onChange={(event) => setUnit(event.currentTarget.value)}
              inputMode="numeric"
              autoComplete="off"
              maxLength={32}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, xs: 6, md: 4 }}>
            <Select
              label={t("audit.kind")}
              placeholder={t("audit.anyKind")}
              data={kinds.map((k) => ({ value: k, label: recordKindLabel(k) }))}
              value={kind}
              onChange={setKind}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 4 }}>
            <DayInput label={t("audit.from")} value={from} onChange={setFrom} error={rangeError} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 4 }}>
            <DayInput label={t("audit.to")} value={to} onChange={setTo} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Group gap="sm">
              <Button type="submit">{t("audit.apply")}</Button>
              <Button variant="default" onClick={() => onApply({})}>
                {t("audit.clear")}
              </Button>
            </Group>
          </Grid.Col>
        </Grid>
      </form>
    </search>
  );
}
