import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import type { Classification } from "./api.ts";
import { FormDialog } from "./household-edit.tsx";
import { type MeetingRow, meetingRowsQuery, recordMeetingResult } from "./registry-api.ts";
import { useHouseholdsText } from "./use-households-text.ts";
import { useRegistryText } from "./use-registry-text.ts";

const classes: Classification[] = ["poor", "near_poor", "not_poor"];
const classColor = { poor: "red", near_poor: "orange", not_poor: "green" } as const;
const pageSize = 20;

/** Lower case without diacritics, for finding "Lò Văn Pản" by "lo van pan". */
const plain = (s: string) =>
  s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();

/**
 * Each household's computed class beside the village meeting's result, with the explanation; while the review is
 * surveying, the commune's officers record a meeting result that differs from the computed one, with its reason.
 */
export function MeetingResults({
  reviewId,
  isOpen,
  canAct,
}: {
  reviewId: number;
  isOpen: boolean;
  canAct: boolean;
}) {
  const { t } = useRegistryText();
  const rows = useQuery(meetingRowsQuery(reviewId));
  const [q, setQ] = useState("");
  const [onlyOverridden, setOnlyOverridden] = useState(false);
  const [shown, setShown] = useState(pageSize);
  const [editing, setEditing] = useState<MeetingRow | null>(null);
  if (rows.isPending) return <LoadingState />;
  if (rows.isError) return <ErrorState error={rows.error} onRetry={() => rows.refetch()} />;
  const needle = plain(q.trim());
  const matching = rows.data.items.filter(
    (r) =>
      (!needle || plain(r.headName).includes(needle) || r.code.toLowerCase().includes(needle)) &&
      (!onlyOverridden || (r.meetingResult !== null && r.meetingResult !== r.computed)),
  );
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t("meeting.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("meeting.hint")}
        </Text>
        {!isOpen && canAct && (
          <Text size="sm" c="dimmed">
            {t("meeting.locked")}
          </Text>
        )}
        <Group align="end" gap="md">
          <TextInput
            label={t("meeting.search")}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setShown(pageSize);
            }}
            miw={220}
          />
          <Checkbox
            label={t("meeting.onlyOverridden")}
            checked={onlyOverridden}
            onChange={(e) => setOnlyOverridden(e.currentTarget.checked)}
          />
        </Group>
        {matching.length === 0 && <Text c="dimmed">{t("meeting.empty")}</Text>}
        {matching.slice(0, shown).map((r) => (
          <MeetingCard
            key={r.householdId}
            row={r}
            onChange={isOpen && canAct && r.computed !== null ? () => setEditing(r) : undefined}
          />
        ))}
        {matching.length > shown && (
          <Button variant="subtle" w="fit-content" onClick={() => setShown(shown + 100)}>
            {t("meeting.more")} ({matching.length - shown})
          </Button>
        )}
      </Stack>
      <FormDialog
        title={editing ? t("meeting.overrideTitle", { name: editing.headName }) : ""}
        opened={editing !== null}
        onClose={() => setEditing(null)}
      >
        {editing && <MeetingForm reviewId={reviewId} row={editing} onClose={() => setEditing(null)} />}
      </FormDialog>
    </Paper>
  );
}

function ClassBadge({ value }: { value: Classification | null }) {
  const { t: ht } = useHouseholdsText();
  const { t } = useRegistryText();
  if (value === null)
    return (
      <Badge variant="outline" color="gray">
        {t("meeting.pending")}
      </Badge>
    );
  return (
    <Badge variant="light" color={classColor[value]}>
      {ht(`classes.${value}`)}
    </Badge>
  );
}

function MeetingCard({ row: r, onChange }: { row: MeetingRow; onChange: (() => void) | undefined }) {
  const { t } = useRegistryText();
  const overridden = r.meetingResult !== null && r.computed !== null && r.meetingResult !== r.computed;
  return (
    <Paper withBorder p="sm" data-testid={`meeting-${r.householdId}`}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs">
          <div style={{ minWidth: 0 }}>
            <Text fw={600}>{r.headName}</Text>
            <Text size="xs" c="dimmed">
              {r.code} · {r.villageCode}
            </Text>
          </div>
          {onChange && (
            <Button size="compact-sm" variant="default" onClick={onChange}>
              {t("meeting.change")}
            </Button>
          )}
        </Group>
        <Group gap="md" wrap="wrap">
          <Group gap={6}>
            <Text size="sm" c="dimmed">
              {t("meeting.computed")}:
            </Text>
            {r.computed === null ? (
              <Badge variant="outline" color="gray">
                {t("meeting.notSurveyed")}
              </Badge>
            ) : (
              <ClassBadge value={r.computed} />
            )}
          </Group>
          <Group gap={6}>
            <Text size="sm" c="dimmed">
              {t("meeting.meeting")}:
            </Text>
            <ClassBadge value={r.meetingResult} />
            {overridden && (
              <Badge variant="filled" color="violet">
                {t("meeting.overridden")}
              </Badge>
            )}
          </Group>
        </Group>
        <Explanation row={r} />
        {r.meetingNote && (
          <Text size="sm" fs="italic">
            “{r.meetingNote}”
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** Why the computed class is what it is: the income against the threshold and the indicators lacking. */
function Explanation({ row }: { row: MeetingRow }) {
  const { t, number } = useRegistryText();
  const e = row.explanation;
  if (!e) return null;
  const names = (list: string[]) => list.map((i) => t(`indicators.${i}` as "indicators.toilet")).join(", ");
  return (
    <Stack gap={2}>
      <Text size="sm">
        {t("meeting.explanation", {
          income: number(Math.round(e.incomePerPersonMonth)),
          threshold: number(e.threshold),
          lacking: e.lackingCount,
          min: e.poorMinLacking,
        })}
      </Text>
      <Text size="xs" c="dimmed">
        {e.lacking.length > 0
          ? t("meeting.lackingList", { list: names(e.lacking) })
          : t("meeting.noneLacking")}
      </Text>
      {e.notInStandard.length > 0 && (
        <Text size="xs" c="dimmed">
          {t("meeting.notInStandard", { list: names(e.notInStandard) })}
        </Text>
      )}
    </Stack>
  );
}

function MeetingForm({ reviewId, row, onClose }: { reviewId: number; row: MeetingRow; onClose: () => void }) {
  const { t } = useRegistryText();
  const { t: ht } = useHouseholdsText();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<Classification>(row.meetingResult ?? row.computed ?? "poor");
  const [note, setNote] = useState(row.meetingNote ?? "");
  const [noteError, setNoteError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () =>
      recordMeetingResult(reviewId, {
        householdId: row.householdId,
        result,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["poverty-review", reviewId] });
      onClose();
    },
  });
  const differs = result !== row.computed;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing = differs && note.trim() === "";
    setNoteError(missing ? t("meeting.noteRequired") : undefined);
    if (!missing) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Group gap={6}>
          <Text size="sm">{t("meeting.computed")}:</Text>
          <ClassBadge value={row.computed} />
        </Group>
        <Explanation row={row} />
        <NativeSelect
          label={t("meeting.classLabel")}
          value={result}
          onChange={(e) => setResult(e.currentTarget.value as Classification)}
          data={classes.map((c) => ({ value: c, label: ht(`classes.${c}`) }))}
        />
        <Textarea
          label={t("meeting.note")}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={noteError}
          maxLength={500}
          autosize
          minRows={2}
          required={differs}
        />
        {differs && <Alert color="violet">{t("meeting.overridden")}</Alert>}
        {save.isError && <ErrorState error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("edit.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t("meeting.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
