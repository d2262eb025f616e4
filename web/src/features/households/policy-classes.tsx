import { Badge, Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { DayInput } from "../../components/day-input.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import { FormDialog, useHouseholdWrite, WriteError } from "./household-edit.tsx";
import {
  addPolicyClass,
  endPolicyClass,
  type HouseholdRecord,
  type PolicyKind,
  policyKinds,
} from "./registry-api.ts";
import { useRegistryText } from "./use-registry-text.ts";

type PolicyClass = HouseholdRecord["policyClasses"][number];

/** A household's policy-beneficiary classes, dated; officers add and end them. */
export function PolicyClasses({ household, canWrite }: { household: HouseholdRecord; canWrite: boolean }) {
  const { t, day } = useRegistryText();
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<PolicyClass | null>(null);
  const today = todayInVietnam();
  const isActive = (c: PolicyClass) => c.validFrom <= today && (c.validTo === null || c.validTo > today);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h4">
            {t("policy.title")}
          </Title>
          {canWrite && !household.deleted && (
            <Button size="xs" variant="light" onClick={() => setAdding(true)}>
              {t("policy.add")}
            </Button>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {t("policy.hint")}
        </Text>
        {household.policyClasses.length === 0 && <Text size="sm">{t("policy.none")}</Text>}
        {household.policyClasses.map((c) => (
          <Group key={c.id} justify="space-between" wrap="wrap" gap="xs" data-testid={`policy-class-${c.id}`}>
            <div>
              <Group gap="xs">
                <Text fw={500}>{t(`policy.kinds.${c.kind}`)}</Text>
                <Badge variant="light" color={isActive(c) ? "green" : "gray"}>
                  {isActive(c) ? t("policy.active") : t("policy.ended")}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed">
                {/* validTo is the first day without the class: the last day with it is the day before. */}
                {c.validTo
                  ? t("policy.until", { from: day(c.validFrom), to: day(dayBefore(c.validTo)) })
                  : t("policy.since", { date: day(c.validFrom) })}
                {c.note ? ` · ${c.note}` : ""}
              </Text>
            </div>
            {canWrite && !household.deleted && c.validTo === null && (
              <Button size="xs" variant="default" onClick={() => setEnding(c)}>
                {t("policy.end")}
              </Button>
            )}
          </Group>
        ))}
      </Stack>
      <FormDialog title={t("policy.add")} opened={adding} onClose={() => setAdding(false)}>
        <AddForm household={household} onClose={() => setAdding(false)} />
      </FormDialog>
      <FormDialog
        title={ending ? t("policy.endTitle", { kind: t(`policy.kinds.${ending.kind}`) }) : ""}
        opened={ending !== null}
        onClose={() => setEnding(null)}
      >
        {ending && <EndForm household={household} policyClass={ending} onClose={() => setEnding(null)} />}
      </FormDialog>
    </Paper>
  );
}

function shiftDay(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const dayBefore = (iso: string) => shiftDay(iso, -1);

function AddForm({ household, onClose }: { household: HouseholdRecord; onClose: () => void }) {
  const { t } = useRegistryText();
  const [kind, setKind] = useState<PolicyKind>("meritorious_service");
  const [validFrom, setValidFrom] = useState<string | null>(null);
  const [validTo, setValidTo] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | undefined>();
  const save = useHouseholdWrite(
    household.id,
    () =>
      addPolicyClass(household.id, {
        kind,
        validFrom: validFrom ?? "",
        // Typed as the last day with the class; stored as the first day without it.
        validTo: validTo ? shiftDay(validTo, 1) : null,
        note: note.trim() || null,
        expectedVersion: household.version,
      }),
    onClose,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(validFrom ? undefined : t("member.required"));
    if (validFrom) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <NativeSelect
          label={t("policy.kind")}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as PolicyKind)}
          data={policyKinds.map((k) => ({ value: k, label: t(`policy.kinds.${k}`) }))}
        />
        <DayInput label={t("policy.validFrom")} value={validFrom} onChange={setValidFrom} error={error} />
        <DayInput label={t("policy.validTo")} value={validTo} onChange={setValidTo} />
        <TextInput
          label={t("policy.note")}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={300}
        />
        {save.isError && <WriteError error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("edit.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t("policy.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EndForm({
  household,
  policyClass,
  onClose,
}: {
  household: HouseholdRecord;
  policyClass: PolicyClass;
  onClose: () => void;
}) {
  const { t } = useRegistryText();
  const [validTo, setValidTo] = useState<string | null>(todayInVietnam());
  const [error, setError] = useState<string | undefined>();
  const save = useHouseholdWrite(
    household.id,
    () => endPolicyClass(policyClass.id, { validTo: validTo ?? "", expectedVersion: household.version }),
    onClose,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(validTo ? undefined : t("member.required"));
    if (validTo) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("policy.endHint")}
        </Text>
        <DayInput label={t("policy.endOn")} value={validTo} onChange={setValidTo} error={error} />
        {save.isError && <WriteError error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("edit.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t("policy.end")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
