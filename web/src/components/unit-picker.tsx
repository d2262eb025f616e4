import { Group, Select, type SelectProps, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { UnitAncestor, UnitLevel } from "../api/types.ts";
import { currentUnitSearchQuery } from "../api/units.ts";
import { todayInVietnam } from "../lib/dates.ts";

/** A unit as the picker holds it: enough to show it and to tell whether it lies within a scope. */
export interface PickedUnit {
  code: string;
  name: string;
  level: UnitLevel;
  /** Parent first. */
  ancestors: UnitAncestor[];
}

interface UnitPickerProps {
  label: string;
  description?: string;
  value: PickedUnit | null;
  onChange: (unit: PickedUnit | null) => void;
  /** The levels offered (a commune officer's unit is a commune). */
  levels: readonly UnitLevel[];
  /** Only units at or under this unit; anywhere when null (a system administrator). */
  withinCode: string | null;
  error?: string | undefined;
  disabled?: boolean;
  /** Units not offered (those already in a list the picker adds to). */
  exclude?: ReadonlySet<string>;
  placeholder?: string;
  /**
   * An adder rather than a field: the caller keeps `value` null and takes each pick in `onChange`; the search box
   * empties for the next one.
   */
  clearOnPick?: boolean;
  w?: SelectProps["w"];
}

const label = (unit: PickedUnit) => `${unit.name} (${unit.code})`;

/**
 * Picks a unit valid today by typing part of its name, with or without diacritics ("chieng khuong" finds
 * Xã Chiềng Khương): the server searches, so the list is not filtered again here by Mantine's accent-sensitive
 * matching. Units outside the caller's scope are left out, since the server would refuse them.
 */
export function UnitPicker({
  label: fieldLabel,
  description,
  value,
  onChange,
  levels,
  withinCode,
  error,
  disabled,
  exclude,
  placeholder,
  clearOnPick = false,
  w,
}: UnitPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value ? label(value) : "");
  const valueLabel = value ? label(value) : "";
  // A unit chosen or cleared from outside (another role, "take the current values") shows in the field.
  useEffect(() => setSearch(valueLabel), [valueLabel]);
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const isSelectedText = value !== null && debounced === label(value);
  const isSearchable = debounced.length >= 2 && !isSelectedText;
  const results = useQuery({
    ...currentUnitSearchQuery(debounced, todayInVietnam(), levels.length === 1 ? levels[0] : undefined),
    enabled: isSearchable,
    placeholderData: keepPreviousData,
  });

  const options = useMemo(() => {
    const found = (results.data?.items ?? [])
      .filter((unit) => levels.includes(unit.level) && !exclude?.has(unit.code))
      .filter(
        (unit) =>
          withinCode === null ||
          unit.code === withinCode ||
          unit.ancestors.some((a) => a.code === withinCode),
      )
      .map(({ code, name, level, ancestors }) => ({ code, name, level, ancestors }));
    // The chosen unit stays an option, or the field would show nothing once a new search leaves it out.
    const all = value ? [value, ...found.filter((u) => u.code !== value.code)] : found;
    return all;
  }, [results.data, levels, withinCode, value, exclude]);

  const nothingFound = !isSearchable
    ? search.trim().length < 2
      ? t("userForm.scopeTooShort")
      : undefined
    : results.isFetching
      ? t("userForm.scopeSearching")
      : t("userForm.scopeNothing");

  return (
    <Select
      label={fieldLabel}
      description={description}
      placeholder={placeholder ?? t("userForm.scopePlaceholder")}
      searchable
      clearable={!clearOnPick}
      searchValue={search}
      onSearchChange={setSearch}
      value={value?.code ?? null}
      onChange={(code) => {
        const unit = options.find((u) => u.code === code) ?? null;
        onChange(unit);
        if (clearOnPick && unit) setSearch("");
      }}
      data={options.map((unit) => ({ value: unit.code, label: label(unit) }))}
      filter={({ options: all }) => all}
      nothingFoundMessage={nothingFound}
      renderOption={({ option }) => {
        const unit = options.find((u) => u.code === option.value);
        return (
          <div>
            <Text size="sm" fw={600}>
              {unit?.name ?? option.label}
            </Text>
            <Group gap={4}>
              <Text size="xs" c="dimmed">
                {[option.value, ...(unit?.ancestors.map((a) => a.name) ?? [])].join(" · ")}
              </Text>
            </Group>
          </div>
        );
      }}
      error={error}
      disabled={disabled}
      maxDropdownHeight={280}
      comboboxProps={{ withinPortal: true }}
      autoComplete="off"
      w={w}
    />
  );
}
