import {
  Alert,
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fieldErrors } from "../../api/client.ts";
import { DayInput } from "../../components/day-input.tsx";
import {
  createDirection,
  createProposal,
  type DirectionDetail,
  type Meeting,
  type ProposalCategory,
  proposalCategories,
  sessionKeys,
} from "./api.ts";
import { splitCodes } from "./parts.tsx";
import { useSessionsText } from "./use-sessions-text.ts";

const errorOf = (error: unknown, field: string) => fieldErrors(error).find((e) => e.field === field)?.message;

/** A proposal raised at a meeting, by one of the units that took part. */
export function ProposalCreateForm({ meeting, onDone }: { meeting: Meeting; onDone: () => void }) {
  const { t } = useSessionsText();
  const queryClient = useQueryClient();
  const [unitCode, setUnitCode] = useState<string | null>(meeting.units[0]?.code ?? null);
  const [category, setCategory] = useState<ProposalCategory>("public_investment");
  const [content, setContent] = useState("");
  const [amount, setAmount] = useState<number | string>("");
  const [amountUnit, setAmountUnit] = useState("");
  const save = useMutation({
    mutationFn: () =>
      createProposal({
        unitCode: unitCode ?? "",
        issuerUnitCode: meeting.issuerUnitCode,
        meetingId: meeting.id,
        category,
        content,
        ...(typeof amount === "number" ? { amount } : {}),
        ...(amountUnit ? { amountUnit } : {}),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
      onDone();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      aria-label={t("proposal.newTitle")}
    >
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t("proposal.unit")}
            data={meeting.units.map((u) => ({ value: u.code, label: u.name }))}
            value={unitCode}
            onChange={setUnitCode}
            allowDeselect={false}
          />
          <Select
            label={t("proposal.category")}
            data={proposalCategories.map((c) => ({ value: c, label: t(`category.${c}`) }))}
            value={category}
            onChange={(v) => v && setCategory(v as ProposalCategory)}
            allowDeselect={false}
          />
        </SimpleGrid>
        <Textarea
          label={t("proposal.content")}
          required
          autosize
          minRows={2}
          value={content}
          onChange={(e) => setContent(e.currentTarget.value)}
          error={errorOf(save.error, "content")}
        />
        <SimpleGrid cols={{ base: 2 }}>
          <NumberInput
            label={t("proposal.amountValue")}
            value={amount}
            onChange={setAmount}
            min={0}
            thousandSeparator="."
            decimalSeparator=","
          />
          <TextInput
            label={t("proposal.amountUnit")}
            value={amountUnit}
            onChange={(e) => setAmountUnit(e.currentTarget.value)}
          />
        </SimpleGrid>
        {save.isError && (
          <Alert color="red" role="alert">
            {save.error.message}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t("proposal.submit")}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            {t("cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * A direction from a meeting's conclusion notice (its number and date are the source), or a weighted sub-task of a
 * direction (same source).
 */
export function DirectionCreateForm({
  meeting,
  parent,
  onDone,
}: {
  meeting?: Meeting;
  parent?: DirectionDetail;
  onDone: () => void;
}) {
  const { t } = useSessionsText();
  const queryClient = useQueryClient();
  const [content, setContent] = useState("");
  const [lead, setLead] = useState(parent?.leadUnit.code ?? meeting?.units[0]?.code ?? "");
  const [cooperating, setCooperating] = useState("");
  const [dueDate, setDueDate] = useState<string | null>(null);
  const [priority, setPriority] = useState<"high" | "normal" | "low">("normal");
  const [weight, setWeight] = useState<number | string>(1);
  const [sourceNumber, setSourceNumber] = useState(
    parent?.source.number ?? (meeting?.notice ? `${meeting.notice.number}-${meeting.notice.symbol}` : ""),
  );
  const [sourceDate, setSourceDate] = useState<string | null>(
    parent?.source.date ?? meeting?.notice?.date ?? meeting?.heldOn ?? null,
  );
  const [sourceBody, setSourceBody] = useState(parent?.source.body ?? meeting?.issuingBody ?? "");
  const save = useMutation({
    mutationFn: () =>
      createDirection({
        ...(meeting ? { meetingId: meeting.id } : {}),
        ...(parent
          ? { parentId: parent.id, ...(parent.meetingId ? { meetingId: parent.meetingId } : {}) }
          : {}),
        issuerUnitCode: parent?.issuerUnitCode ?? meeting?.issuerUnitCode ?? "",
        sourceNumber,
        sourceDate: sourceDate ?? "",
        sourceBody,
        content,
        leadUnitCode: lead.trim(),
        cooperatingUnitCodes: splitCodes(cooperating),
        dueDate: dueDate ?? "",
        priority,
        ...(typeof weight === "number" ? { weight } : {}),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
      onDone();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      aria-label={parent ? t("direction.addSubTask") : t("direction.newTitle")}
    >
      <Stack gap="xs">
        <Textarea
          label={t("direction.content")}
          required
          autosize
          minRows={2}
          value={content}
          onChange={(e) => setContent(e.currentTarget.value)}
          error={errorOf(save.error, "content")}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("direction.leadCode")}
            required
            value={lead}
            onChange={(e) => setLead(e.currentTarget.value)}
            error={errorOf(save.error, "leadUnitCode")}
          />
          <TextInput
            label={t("direction.cooperatingCodes")}
            value={cooperating}
            onChange={(e) => setCooperating(e.currentTarget.value)}
          />
          <DayInput
            label={t("direction.due")}
            value={dueDate}
            onChange={setDueDate}
            error={errorOf(save.error, "dueDate")}
          />
          <Select
            label={t("direction.priority")}
            data={(["high", "normal", "low"] as const).map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            value={priority}
            onChange={(v) => v && setPriority(v as "high" | "normal" | "low")}
            allowDeselect={false}
          />
          <TextInput
            label={t("direction.sourceNumber")}
            required
            value={sourceNumber}
            onChange={(e) => setSourceNumber(e.currentTarget.value)}
          />
          <DayInput label={t("direction.sourceDate")} value={sourceDate} onChange={setSourceDate} />
          <TextInput
            label={t("direction.sourceBody")}
            required
            value={sourceBody}
            onChange={(e) => setSourceBody(e.currentTarget.value)}
          />
          {parent && (
            <NumberInput
              label={t("direction.weight")}
              value={weight}
              onChange={setWeight}
              min={0.1}
              decimalSeparator=","
            />
          )}
        </SimpleGrid>
        {save.isError && (
          <Alert color="red" role="alert">
            {save.error.message}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t("direction.submit")}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            {t("cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
