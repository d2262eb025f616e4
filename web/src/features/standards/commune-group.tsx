import { Alert, Button, Group, Select, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../../api/client.ts";
import { type CommuneEvaluation, setCommuneGroup, standardsKeys } from "./api.ts";
import { useStandardsText } from "./use-standards-text.ts";

/** The commune's group, and for a province administrator the way to set it (audited on the server). */
export function GroupLine({ evaluation, canManage }: { evaluation: CommuneEvaluation; canManage: boolean }) {
  const { t, name } = useStandardsText();
  const queryClient = useQueryClient();
  const [isEditing, setEditing] = useState(false);
  const [group, setGroup] = useState<string | null>(
    evaluation.unit.communeGroup === null ? null : String(evaluation.unit.communeGroup),
  );
  const save = useMutation({
    mutationFn: () =>
      setCommuneGroup(evaluation.unit.code, {
        group: group === null ? null : Number(group),
        expected: evaluation.unit.communeGroup,
      }),
    onSuccess: async () => {
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: standardsKeys.all });
    },
  });
  const current =
    evaluation.unit.communeGroup === null
      ? t("groupNone")
      : t("groupValue", { group: evaluation.unit.communeGroup });
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text size="sm">
          {t("group")}: <strong>{current}</strong> · {t("region")}:{" "}
          <strong>{evaluation.unit.region ? name(evaluation.unit.region) : t("regionNone")}</strong> ·{" "}
          {evaluation.unit.code}
        </Text>
        {canManage && !isEditing && (
          <Button size="compact-sm" variant="subtle" onClick={() => setEditing(true)}>
            {t("setGroup")}
          </Button>
        )}
      </Group>
      {isEditing && (
        <Group align="flex-end" gap="xs">
          <Select
            label={t("group")}
            description={t("groupHint")}
            data={["1", "2", "3"].map((g) => ({ value: g, label: t("groupValue", { group: g }) }))}
            value={group}
            onChange={setGroup}
            comboboxProps={{ withinPortal: true }}
            maw={420}
          />
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={group === null}>
            {t("saveGroup")}
          </Button>
          <Button variant="default" onClick={() => setEditing(false)}>
            {t("cancel")}
          </Button>
        </Group>
      )}
      {save.isError && (
        <Alert color="red" role="alert">
          {t("failed", { message: save.error instanceof ApiError ? save.error.message : String(save.error) })}
        </Alert>
      )}
    </Stack>
  );
}
