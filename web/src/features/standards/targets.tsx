import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { ApiError } from "../../api/client.ts";
import common from "../../components/common.module.css";
import { createTarget, deleteTarget, standardsKeys, targetsQuery } from "./api.ts";
import { useStandardsText } from "./use-standards-text.ts";

type Format = (value: number | null | undefined) => string;

/**
 * The targets of one indicator for a unit, under its figure on a dashboard card: "Mục tiêu 2027: 60 %". Nothing when
 * there is none. One request per unit serves every card.
 */
export function TargetNote({ unit, dataCode, format }: { unit: string; dataCode: string; format: Format }) {
  const { t } = useStandardsText();
  const targets = useQuery(targetsQuery(unit));
  const mine = (targets.data?.items ?? []).filter((x) => x.dataCode === dataCode);
  if (mine.length === 0) return null;
  return (
    <>
      {mine.map((x) => (
        <Text key={x.id} size="sm" c="blue.9" fw={600}>
          {t("targets.line", { period: x.period, value: format(x.value) })}
        </Text>
      ))}
    </>
  );
}

interface IndicatorLike {
  code: string;
  nameVi: string;
  nameEn: string;
}

/**
 * A unit's targets against the latest actual value of each indicator (from the figures the page already has), for
 * the unit profile.
 */
export function TargetsSection({
  unit,
  indicators,
  latest,
  format,
}: {
  unit: string;
  indicators: IndicatorLike[];
  latest: (dataCode: string) => { year: string; value: number } | null;
  format: (dataCode: string, value: number | null | undefined) => string;
}) {
  const { t, name } = useStandardsText();
  const headingId = useId();
  const targets = useQuery(targetsQuery(unit));
  const me = useQuery(meQuery());
  const canManage = me.data?.user?.role === "system_admin" || me.data?.user?.role === "province_admin";
  const [isAdding, setAdding] = useState(false);
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (x: { id: number; version: number }) => deleteTarget(x.id, x.version),
    onSettled: () => queryClient.invalidateQueries({ queryKey: standardsKeys.targets(unit) }),
  });
  const items = targets.data?.items ?? [];
  if (!targets.data) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-end">
        <Title order={3} id={headingId}>
          {t("targets.title")}
        </Title>
        {canManage && (
          <Button variant="light" size="compact-md" onClick={() => setAdding(true)}>
            {t("targets.add")}
          </Button>
        )}
      </Group>
      {isAdding && <TargetDialog unit={unit} indicators={indicators} onClose={() => setAdding(false)} />}
      {remove.isError && (
        <Alert color="red" role="alert">
          {t("failed", {
            message: remove.error instanceof ApiError ? remove.error.message : String(remove.error),
          })}
        </Alert>
      )}
      {items.length === 0 ? (
        <Text c="dimmed">{t("targets.none")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table className={common.table} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("targets.colIndicator")}</Table.Th>
                <Table.Th scope="col">{t("targets.colPeriod")}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t("targets.colTarget")}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t("targets.colLatest")}
                </Table.Th>
                {canManage && <Table.Th scope="col" aria-label={t("targets.delete")} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((x) => {
                const indicator = indicators.find((i) => i.code === x.dataCode);
                const actual = latest(x.dataCode);
                return (
                  <Table.Tr key={x.id}>
                    <Table.Th scope="row" fw={400}>
                      {indicator ? name(indicator) : x.dataCode}
                      {x.note && (
                        <Text size="xs" c="dimmed">
                          {x.note}
                        </Text>
                      )}
                    </Table.Th>
                    <Table.Td>{x.period}</Table.Td>
                    <Table.Td ta="right">{format(x.dataCode, x.value)}</Table.Td>
                    <Table.Td ta="right">
                      {actual
                        ? t("targets.latest", { value: format(x.dataCode, actual.value), year: actual.year })
                        : "—"}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function TargetDialog({
  unit,
  indicators,
  onClose,
}: {
  unit: string;
  indicators: IndicatorLike[];
  onClose: () => void;
}) {
  const { t, name } = useStandardsText();
  const queryClient = useQueryClient();
  const [dataCode, setDataCode] = useState<string | null>(indicators[0]?.code ?? null);
  const [period, setPeriod] = useState(String(new Date().getFullYear() + 1));
  const [value, setValue] = useState<number | string>("");
  const [note, setNote] = useState("");
  const save = useMutation({
    mutationFn: () =>
      createTarget({
        dataCode: dataCode ?? "",
        unitCode: unit,
        period: period.trim(),
        value: Number(value),
        note: note.trim() || null,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: standardsKeys.targets(unit) });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t("targets.add")} size="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <Select
            label={t("targets.colIndicator")}
            data={indicators.map((i) => ({ value: i.code, label: name(i) }))}
            value={dataCode}
            onChange={setDataCode}
            searchable
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            required
          />
          <TextInput
            label={t("targets.colPeriod")}
            description={t("targets.periodHint")}
            value={period}
            onChange={(e) => setPeriod(e.currentTarget.value)}
            required
          />
          <NumberInput
            label={t("targets.colTarget")}
            value={value}
            onChange={setValue}
            decimalSeparator=","
            thousandSeparator="."
            required
          />
          <TextInput
            label={t("targets.note")}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          {save.isError && (
            <Alert color="red" role="alert">
              {t("failed", {
                message: save.error instanceof ApiError ? save.error.message : String(save.error),
              })}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t("cancel")}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={dataCode === null || value === ""}>
              {t("save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
