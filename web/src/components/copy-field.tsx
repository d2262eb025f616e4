import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import classes from "./copy-field.module.css";

/**
 * A secret shown once (a generated password, an API token) in a read-only field with a copy button. Over plain HTTP
 * on an office network the clipboard API is missing: the text is then selected and copied the old way, and if even
 * that fails the person is told to copy it by hand.
 */
export function CopyField({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  const inputRef = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      inputRef.current?.select();
      setState(document.execCommand("copy") ? "copied" : "failed");
    }
  };

  return (
    <Stack gap={6}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          ref={inputRef}
          label={label}
          value={value}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
          classNames={{ input: classes.secret }}
          spellCheck={false}
          autoComplete="off"
          flex={1}
          miw={0}
        />
        <Button
          variant="filled"
          onClick={copy}
          aria-label={
            state === "copied" ? t("common.copied") : t("common.copyLabel", { what: label.toLowerCase() })
          }
        >
          {state === "copied" ? t("common.copied") : t("common.copy")}
        </Button>
      </Group>
      <Text size="sm" role="status" aria-live="polite" c={state === "failed" ? "red.9" : undefined}>
        {state === "failed" ? t("common.copyFailed") : ""}
      </Text>
    </Stack>
  );
}
