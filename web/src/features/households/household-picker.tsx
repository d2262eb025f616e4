import { Button, Group, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { type FoundHousehold, householdSearchQuery } from "./support-api.ts";
import { useSupportText } from "./use-support-text.ts";

/** Finds a household of the commune by the head's name (with or without diacritics) or its code, and picks one. */
export function HouseholdPicker({
  commune,
  picked,
  onPick,
}: {
  commune: string;
  picked: FoundHousehold | null;
  onPick: (household: FoundHousehold | null) => void;
}) {
  const { t } = useSupportText();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  // Ask the server once the typing pauses: a weak link should not carry a request per letter.
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useQuery(householdSearchQuery(commune, q));
  if (picked)
    return (
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text fw={600}>{t("add.picked", { name: picked.headName, code: picked.code })}</Text>
        <Button variant="subtle" size="compact-sm" onClick={() => onPick(null)}>
          {t("outcome.cancel")}
        </Button>
      </Group>
    );
  return (
    <Stack gap={6}>
      <TextInput label={t("add.search")} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />
      {found.data && found.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("add.noResult")}
        </Text>
      )}
      {found.data?.items.map((h) => (
        <Paper key={h.id} withBorder p={6}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <div>
              <Text size="sm" fw={600}>
                {h.headName}
              </Text>
              <Text size="xs" c="dimmed">
                {h.code} · {h.villageName ?? h.villageCode}
              </Text>
            </div>
            <Button
              size="compact-sm"
              variant="light"
              onClick={() => {
                setTyped("");
                setQ("");
                onPick(h);
              }}
            >
              {t("add.pick")}
            </Button>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
