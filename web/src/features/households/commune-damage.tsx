import {
  Alert,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { HouseholdPicker } from "./household-picker.tsx";
import {
  damagesQuery,
  type FoundHousehold,
  type HouseDamage,
  recordDamage,
  reportDamageComplete,
} from "./support-api.ts";
import { useSupportText } from "./use-support-text.ts";

const houseKinds: HouseDamage[] = ["none", "damaged", "destroyed"];

/** A commune's officers record each affected household's damage, then confirm the commune's report is complete. */
export function CommuneDamage({
  disasterId,
  commune,
  communeName,
  isReported,
}: {
  disasterId: number;
  commune: string;
  communeName: string;
  isReported: boolean;
}) {
  const { t, number } = useSupportText();
  const queryClient = useQueryClient();
  const damages = useQuery(damagesQuery(disasterId, commune));
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["disaster", disasterId] });
  const report = useMutation({
    mutationFn: () => reportDamageComplete(disasterId, commune),
    onSuccess: refresh,
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t("disaster.yourCommune", { commune: communeName })}
        </Title>
        <DamageForm disasterId={disasterId} commune={commune} onSaved={refresh} />
        <Title order={3} size="h5">
          {t("disaster.recorded", { count: damages.data?.items.length ?? 0 })}
        </Title>
        {damages.isPending && <LoadingState />}
        {damages.isError && <ErrorState error={damages.error} />}
        {damages.data && damages.data.items.length === 0 && <Text c="dimmed">{t("disaster.noDamage")}</Text>}
        {damages.data && damages.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={320}>
            <Table striped fz="sm" data-testid="damage-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("disaster.household")}</Table.Th>
                  <Table.Th>{t("disaster.house")}</Table.Th>
                  <Table.Th ta="right">{t("disaster.peopleHurt")}</Table.Th>
                  <Table.Th ta="right">{t("disaster.crops")}</Table.Th>
                  <Table.Th ta="right">{t("disaster.livestock")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {damages.data.items.map((d) => (
                  <Table.Tr key={d.householdId}>
                    <Table.Td>
                      {d.headName}
                      <Text size="xs" c="dimmed">
                        {d.code}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t(`disaster.houseKinds.${d.house}`)}</Table.Td>
                    <Table.Td ta="right">{number(d.peopleHurt)}</Table.Td>
                    <Table.Td ta="right">{number(d.cropsHa, 2)}</Table.Td>
                    <Table.Td ta="right">{number(d.livestockLost)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {isReported ? (
          <Alert color="green">{t("disaster.reportedDone")}</Alert>
        ) : (
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t("disaster.reportDoneHint")}
            </Text>
            <Group>
              <Button
                variant="light"
                color="green"
                loading={report.isPending}
                onClick={() => report.mutate()}
              >
                {t("disaster.reportDone")}
              </Button>
            </Group>
            {report.isError && <ErrorState error={report.error} />}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function DamageForm({
  disasterId,
  commune,
  onSaved,
}: {
  disasterId: number;
  commune: string;
  onSaved: () => Promise<void>;
}) {
  const { t } = useSupportText();
  const [picked, setPicked] = useState<FoundHousehold | null>(null);
  const [house, setHouse] = useState<HouseDamage>("damaged");
  const [peopleHurt, setPeopleHurt] = useState(0);
  const [cropsHa, setCropsHa] = useState(0);
  const [livestock, setLivestock] = useState(0);
  const [note, setNote] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (h: FoundHousehold) =>
      recordDamage(disasterId, {
        householdId: h.id,
        house,
        peopleHurt,
        cropsHa,
        livestockLost: livestock,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async (_, h) => {
      setSaved(h.headName);
      setPicked(null);
      setPeopleHurt(0);
      setCropsHa(0);
      setLivestock(0);
      setNote("");
      await onSaved();
    },
  });
  const count = (v: string | number) => (typeof v === "number" ? v : Number(v) || 0);
  return (
    <Stack gap="xs">
      <Text fw={600}>{t("disaster.record")}</Text>
      <HouseholdPicker
        commune={commune}
        picked={picked}
        onPick={(h) => {
          setPicked(h);
          setSaved(null);
          save.reset();
        }}
      />
      {picked && (
        <>
          <Group grow align="start" wrap="wrap">
            <NativeSelect
              label={t("disaster.house")}
              value={house}
              onChange={(e) => setHouse(e.currentTarget.value as HouseDamage)}
              data={houseKinds.map((k) => ({ value: k, label: t(`disaster.houseKinds.${k}`) }))}
              miw={140}
            />
            <NumberInput
              label={t("disaster.peopleHurt")}
              value={peopleHurt}
              onChange={(v) => setPeopleHurt(count(v))}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              miw={110}
            />
            <NumberInput
              label={t("disaster.crops")}
              value={cropsHa}
              onChange={(v) => setCropsHa(count(v))}
              min={0}
              decimalScale={2}
              decimalSeparator=","
              allowNegative={false}
              miw={110}
            />
            <NumberInput
              label={t("disaster.livestock")}
              value={livestock}
              onChange={(v) => setLivestock(count(v))}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              miw={110}
            />
          </Group>
          <Textarea
            label={t("disaster.note")}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={1}
            maxLength={1000}
          />
          <Group>
            <Button loading={save.isPending} onClick={() => save.mutate(picked)}>
              {t("disaster.save")}
            </Button>
          </Group>
        </>
      )}
      {save.isError && <ErrorState error={save.error} />}
      {saved && (
        <Text size="sm" c="green.8" role="status">
          {t("disaster.saved", { name: saved })}
        </Text>
      )}
    </Stack>
  );
}
