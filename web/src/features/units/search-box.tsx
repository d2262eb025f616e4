import { CloseButton, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

interface SearchBoxProps {
  /** The search in the address bar. */
  q: string | undefined;
  /** Puts a new search in the address bar (undefined clears it). */
  onSearch: (q: string | undefined) => void;
}

/**
 * The search field. It waits for a pause in typing before searching (each request costs on a weak connection),
 * searches at once on Enter, and follows the address bar when the user goes back or forward.
 */
export function SearchBox({ q, onSearch }: SearchBoxProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState(q ?? "");
  const [debounced] = useDebouncedValue(value, 350);
  const sent = useRef(q ?? "");

  useEffect(() => {
    if ((q ?? "") === sent.current) return;
    sent.current = q ?? "";
    setValue(q ?? "");
  }, [q]);

  useEffect(() => {
    const next = debounced.trim();
    if (next === sent.current) return;
    sent.current = next;
    onSearch(next || undefined);
  }, [debounced, onSearch]);

  const submitNow = (text: string) => {
    const next = text.trim();
    sent.current = next;
    onSearch(next || undefined);
  };

  return (
    <search>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submitNow(value);
        }}
      >
        <TextInput
          type="search"
          label={t("units.searchLabel")}
          description={t("units.searchHint")}
          placeholder={t("units.searchPlaceholder")}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          maxLength={100}
          size="md"
          rightSection={
            value ? (
              <CloseButton
                aria-label={t("units.clearSearch")}
                onClick={() => {
                  setValue("");
                  submitNow("");
                }}
              />
            ) : null
          }
        />
      </form>
    </search>
  );
}
