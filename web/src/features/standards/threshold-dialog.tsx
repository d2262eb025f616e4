import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../../api/client.ts";
import {
  frameworkQuery,
  type RequirementEvaluation,
  standardsKeys,
  type ThresholdStatus,
  updateThreshold,
} from "./api.ts";
import { useStandardsText } from "./use-standards-text.ts";

/** A province administrator's edit of the threshold a requirement applied: value and verification status. */
export function ThresholdDialog({
  requirement: r,
  frameworkCode,
  onClose,
}: {
  requirement: RequirementEvaluation;
  frameworkCode: string;
  onClose: () => void;
}) {
  const { t, name } = useStandardsText();
  const queryClient = useQueryClient();
  const framework = useQuery(frameworkQuery(frameworkCode));
  const stored = framework.data?.criteria
    .flatMap((c) => c.requirements)
    .flatMap((x) => x.thresholds)
    .find((x) => x.id === r.threshold?.id);
  const [value, setValue] = useState<number | string>(r.threshold?.value ?? 0);
  const [status, setStatus] = useState<ThresholdStatus>(r.threshold?.status ?? "unverified");
  const save = useMutation({
    mutationFn: () => {
      if (!stored) throw new Error("threshold not loaded");
      return updateThreshold(stored.id, { version: stored.version, value: Number(value), status });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: standardsKeys.all });
      onClose();
    },
  });
  const group = r.threshold?.region
    ? t("thresholdRegion", { region: name(r.threshold.region) })
    : r.threshold
      ? t(`thresholdGroup.${r.threshold.group}`)
      : "";
  return (
    <Modal opened onClose={onClose} title={t("editThresholdOf", { name: name(r), group })} size="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <NumberInput
            label={t("thresholdValue")}
            value={value}
            onChange={setValue}
            decimalSeparator=","
            thousandSeparator="."
            suffix={r.unit ? ` ${r.unit}` : undefined}
            required
          />
          <Select
            label={t("thresholdStatus")}
            data={(["verified", "unverified", "demo"] as const).map((s) => ({
              value: s,
              label: t(`status.${s}`),
            }))}
            value={status}
            onChange={(s) => s && setStatus(s as ThresholdStatus)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          {stored?.source && (
            <Text size="sm" c="dimmed">
              {t("thresholdSource")}: {stored.source}
            </Text>
          )}
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
            <Button type="submit" loading={save.isPending} disabled={!stored}>
              {t("save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
