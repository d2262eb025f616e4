import {
  Anchor,
  Badge,
  Button,
  FileButton,
  FileInput,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DayInput } from "../../components/day-input.tsx";
import { ErrorState } from "../../components/status.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import {
  type CycleHeader,
  evidenceAccept,
  evidenceHref,
  type ListedHousehold,
  type NotDeliveredReason,
  notDeliveredReasons,
  recordDelivered,
  recordNotDelivered,
  removeFromList,
  uploadEvidence,
} from "./support-api.ts";
import { useSupportText } from "./use-support-text.ts";

type Open = null | "deliver" | "notDelivered" | "remove";

/**
 * One household of a cycle's list: why it is listed, its outcome, and what the officer can do now — take it off the
 * list (draft, with a reason), record it received (date, who, quantity, note, evidence) or not (why). Large controls:
 * this is filled in standing in a village on a phone.
 */
export function EntitlementCard({
  cycle,
  item,
  canAct,
}: {
  cycle: CycleHeader;
  item: ListedHousehold;
  canAct: boolean;
}) {
  const { t, day, money, number } = useSupportText();
  const [open, setOpen] = useState<Open>(null);
  /** A delivery saved whose file did not go through: said on the card, where the file can be sent again. */
  const [evidenceError, setEvidenceError] = useState<Error | null>(null);
  const basis = item.basis
    .split(",")
    .filter((b) => b !== "")
    .map((b) => t(`basis.${b}` as "basis.poor", { defaultValue: b }));
  const isApproved = cycle.status === "approved";
  return (
    <Paper withBorder p="sm" data-testid={`entitlement-${item.code}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="start" gap="xs">
          <div style={{ minWidth: 0 }}>
            <Text fw={600}>{item.headName}</Text>
            <Text size="sm" c="dimmed">
              {item.code} · {item.villageName ?? item.villageCode} · {basis.join(", ")}
              {item.amount > 0 ? ` · ${money(item.amount)}` : ""}
            </Text>
          </div>
          {isApproved && <OutcomeBadge item={item} />}
        </Group>
        {item.addedReason && <Text size="sm">{t("addedBecause", { reason: item.addedReason })}</Text>}
        {item.deliveredOn && (
          <Stack gap={0}>
            <Text size="sm">
              {t("outcome.receivedOn", { date: day(item.deliveredOn), who: item.receivedBy ?? "" })}
            </Text>
            {item.deliveredQuantity !== null && item.deliveredQuantity !== 1 && (
              <Text size="sm">{t("outcome.quantityLine", { quantity: number(item.deliveredQuantity) })}</Text>
            )}
            {item.deliveryNote && <Text size="sm">{item.deliveryNote}</Text>}
            {item.evidenceFile && (
              <Text size="sm" c="dimmed">
                {t("outcome.evidence", { file: item.evidenceFile })}
              </Text>
            )}
            <EvidenceLinks
              cycleId={cycle.id}
              item={item}
              canAct={canAct}
              error={evidenceError}
              onError={setEvidenceError}
            />
          </Stack>
        )}
        {item.notDeliveredReason && !item.deliveredOn && (
          <Text size="sm" c="orange.9">
            {t(`reasons.${item.notDeliveredReason}` as "reasons.absent", {
              defaultValue: item.notDeliveredReason,
            })}
            {item.notDeliveredNote ? ` — ${item.notDeliveredNote}` : ""}
          </Text>
        )}
        {canAct && open === null && cycle.status === "draft" && (
          <Group>
            <Button variant="subtle" color="red" size="compact-sm" onClick={() => setOpen("remove")}>
              {t("remove.open")}
            </Button>
          </Group>
        )}
        {canAct && open === null && isApproved && !item.deliveredOn && (
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
            <Button variant="light" size="md" onClick={() => setOpen("deliver")}>
              {t("outcome.deliver")}
            </Button>
            <Button variant="default" size="md" onClick={() => setOpen("notDelivered")}>
              {t("outcome.notDeliver")}
            </Button>
          </SimpleGrid>
        )}
        {open === "remove" && <RemoveForm cycleId={cycle.id} item={item} onClose={() => setOpen(null)} />}
        {open === "deliver" && (
          <DeliverForm
            cycleId={cycle.id}
            item={item}
            onClose={() => setOpen(null)}
            onEvidenceError={setEvidenceError}
          />
        )}
        {open === "notDelivered" && (
          <NotDeliveredForm cycleId={cycle.id} item={item} onClose={() => setOpen(null)} />
        )}
      </Stack>
    </Paper>
  );
}

function OutcomeBadge({ item }: { item: ListedHousehold }) {
  const { t } = useSupportText();
  const style = { minWidth: "fit-content" };
  if (item.deliveredOn)
    return (
      <Badge color="green" style={style}>
        {t("outcome.delivered")}
      </Badge>
    );
  if (item.notDeliveredReason)
    return (
      <Badge color="orange" variant="light" style={style}>
        {t("outcome.notDelivered")}
      </Badge>
    );
  return (
    <Badge color="gray" variant="light" style={style}>
      {t("outcome.pending")}
    </Badge>
  );
}

function useRefresh(cycleId: number, onClose: () => void) {
  const queryClient = useQueryClient();
  return async () => {
    onClose();
    await queryClient.invalidateQueries({ queryKey: ["support-cycle", cycleId] });
  };
}

function FormButtons({
  isPending,
  isDisabled,
  onSave,
  onCancel,
  saveLabel,
}: {
  isPending: boolean;
  isDisabled: boolean;
  onSave: () => void;
  onCancel: () => void;
  saveLabel?: string;
}) {
  const { t } = useSupportText();
  return (
    <Group grow gap="xs">
      <Button size="md" loading={isPending} disabled={isDisabled} onClick={onSave}>
        {saveLabel ?? t("outcome.save")}
      </Button>
      <Button size="md" variant="default" onClick={onCancel}>
        {t("outcome.cancel")}
      </Button>
    </Group>
  );
}

/**
 * The delivery's evidence files as links (the download is recorded on the server), and for the commune's officer a
 * button to add one: a photo taken on the spot, or a file sent again after a failed upload.
 */
function EvidenceLinks({
  cycleId,
  item,
  canAct,
  error,
  onError,
}: {
  cycleId: number;
  item: ListedHousehold;
  canAct: boolean;
  error: Error | null;
  onError: (error: Error | null) => void;
}) {
  const { t } = useSupportText();
  const refresh = useRefresh(cycleId, () => onError(null));
  const add = useMutation({
    mutationFn: (file: File) => uploadEvidence(cycleId, item.householdId, file),
    onSuccess: refresh,
    onError: (err) => onError(err),
  });
  if (item.evidence.length === 0 && !canAct) return null;
  return (
    <Stack gap={4} mt={4}>
      {item.evidence.length > 0 && (
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600}>
            {t("outcome.evidenceFiles")}
          </Text>
          {item.evidence.map((f) => (
            <Anchor
              key={f.id}
              href={evidenceHref(f.id)}
              size="sm"
              style={{ overflowWrap: "anywhere" }}
              data-testid={`evidence-${item.code}`}
            >
              {f.fileName}
            </Anchor>
          ))}
        </Group>
      )}
      {canAct && (
        <Group>
          <FileButton onChange={(file) => file && add.mutate(file)} accept={evidenceAccept}>
            {(props) => (
              <Button {...props} variant="light" size="sm" loading={add.isPending}>
                {t("outcome.addEvidence")}
              </Button>
            )}
          </FileButton>
        </Group>
      )}
      {error && <ErrorState error={error} />}
    </Stack>
  );
}

function DeliverForm({
  cycleId,
  item,
  onClose,
  onEvidenceError,
}: {
  cycleId: number;
  item: ListedHousehold;
  onClose: () => void;
  onEvidenceError: (error: Error | null) => void;
}) {
  const { t } = useSupportText();
  const [receivedBy, setReceivedBy] = useState(item.headName);
  const [deliveredOn, setDeliveredOn] = useState<string | null>(todayInVietnam());
  const [quantity, setQuantity] = useState<number>(item.quantity);
  const [note, setNote] = useState("");
  const [evidence, setEvidence] = useState<File | null>(null);
  const refresh = useRefresh(cycleId, onClose);
  const save = useMutation({
    mutationFn: async () => {
      await recordDelivered(cycleId, {
        householdId: item.householdId,
        deliveredOn: deliveredOn ?? "",
        receivedBy: receivedBy.trim(),
        quantity,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      // The delivery is recorded first: a file that fails to go through (weak link, wrong kind) loses nothing, and
      // the card says so where it can be sent again.
      onEvidenceError(null);
      if (evidence)
        await uploadEvidence(cycleId, item.householdId, evidence).catch((err: unknown) =>
          onEvidenceError(err instanceof Error ? err : new Error(String(err))),
        );
    },
    onSuccess: refresh,
  });
  return (
    <Stack gap="xs">
      <TextInput
        label={t("outcome.receivedBy")}
        value={receivedBy}
        onChange={(e) => setReceivedBy(e.currentTarget.value)}
        size="md"
        maxLength={200}
      />
      <DayInput label={t("outcome.deliveredOn")} value={deliveredOn} onChange={setDeliveredOn} />
      <NumberInput
        label={t("outcome.quantity")}
        value={quantity}
        onChange={(v) => setQuantity(typeof v === "number" ? v : Number(v) || 1)}
        min={1}
        allowDecimal={false}
        allowNegative={false}
        size="md"
      />
      <Textarea
        label={t("outcome.note")}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={1}
        maxLength={1000}
      />
      <FileInput
        label={t("outcome.evidencePhoto")}
        description={t("outcome.evidencePhotoHint")}
        placeholder={t("outcome.choosePhoto")}
        value={evidence}
        onChange={setEvidence}
        accept={evidenceAccept}
        clearable
        size="md"
        data-testid="evidence-input"
      />
      <FormButtons
        isPending={save.isPending}
        isDisabled={receivedBy.trim() === "" || !deliveredOn || quantity < 1}
        onSave={() => save.mutate()}
        onCancel={onClose}
      />
      {save.isError && <ErrorState error={save.error} />}
    </Stack>
  );
}

function NotDeliveredForm({
  cycleId,
  item,
  onClose,
}: {
  cycleId: number;
  item: ListedHousehold;
  onClose: () => void;
}) {
  const { t } = useSupportText();
  const [reason, setReason] = useState<NotDeliveredReason>("absent");
  const [note, setNote] = useState("");
  const save = useMutation({
    mutationFn: () =>
      recordNotDelivered(cycleId, {
        householdId: item.householdId,
        reason,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: useRefresh(cycleId, onClose),
  });
  return (
    <Stack gap="xs">
      <NativeSelect
        label={t("outcome.reason")}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value as NotDeliveredReason)}
        data={notDeliveredReasons.map((r) => ({ value: r, label: t(`reasons.${r}`) }))}
        size="md"
      />
      <Textarea
        label={t("outcome.reasonNote")}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={1}
        maxLength={500}
        required={reason === "other"}
      />
      <FormButtons
        isPending={save.isPending}
        isDisabled={reason === "other" && note.trim().length < 3}
        onSave={() => save.mutate()}
        onCancel={onClose}
      />
      {save.isError && <ErrorState error={save.error} />}
    </Stack>
  );
}

function RemoveForm({
  cycleId,
  item,
  onClose,
}: {
  cycleId: number;
  item: ListedHousehold;
  onClose: () => void;
}) {
  const { t } = useSupportText();
  const [reason, setReason] = useState("");
  const save = useMutation({
    mutationFn: () => removeFromList(cycleId, item.householdId, reason.trim()),
    onSuccess: useRefresh(cycleId, onClose),
  });
  return (
    <Stack gap="xs">
      <TextInput
        label={t("remove.reason")}
        placeholder={t("remove.reasonPlaceholder")}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        maxLength={500}
        size="md"
      />
      <FormButtons
        isPending={save.isPending}
        isDisabled={reason.trim().length < 3}
        onSave={() => save.mutate()}
        onCancel={onClose}
        saveLabel={t("remove.confirm")}
      />
      {save.isError && <ErrorState error={save.error} />}
    </Stack>
  );
}
