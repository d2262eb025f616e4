import { Alert, Button, Group, Modal, NativeSelect, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, type ReactNode, useState } from "react";
import { ApiError } from "../../api/client.ts";
import { DayInput } from "../../components/day-input.tsx";
import { ErrorState } from "../../components/status.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import {
  emptyMember,
  type MemberDraft,
  type MemberErrors,
  MemberFields,
  memberBody,
  memberProblems,
} from "./member-fields.tsx";
import {
  addMember,
  correctMember,
  deleteHousehold,
  type HouseholdMember,
  type HouseholdRecord,
  type LeaveReason,
  leaveReasons,
  type Relation,
  recordLeave,
  relations,
  updateHousehold,
} from "./registry-api.ts";
import { useHouseholdsText } from "./use-households-text.ts";
import { useRegistryText } from "./use-registry-text.ts";

const notHead = relations.filter((r) => r !== "head");

/** A form dialog: full screen on a phone, where a commune officer records most changes. */
export function FormDialog({
  title,
  opened,
  onClose,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  const isPhone = useMediaQuery("(max-width: 36em)");
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg" fullScreen={isPhone}>
      {opened && children}
    </Modal>
  );
}

/**
 * A write to one household under its version: on success the file reloads; when someone else changed it meanwhile
 * (409 stale_version) the file reloads too and the dialog says so, in words, instead of a bare conflict.
 */
export function useHouseholdWrite<T>(householdId: number, write: () => Promise<T>, onDone: () => void) {
  const queryClient = useQueryClient();
  const reload = () => queryClient.invalidateQueries({ queryKey: ["household", householdId] });
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await reload();
      void queryClient.invalidateQueries({ queryKey: ["households"] });
      onDone();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "stale_version") void reload();
    },
  });
}

/** The refusal of a write, said plainly: a stale version as "reloaded, try again"; else the server's own words. */
export function WriteError({ error }: { error: unknown }) {
  const { t } = useRegistryText();
  if (error instanceof ApiError && error.code === "stale_version")
    return (
      <Alert color="orange" role="alert">
        {t("edit.stale")}
      </Alert>
    );
  return <ErrorState error={error} />;
}

function Buttons({ onCancel, saving, label }: { onCancel: () => void; saving: boolean; label: string }) {
  const { t } = useRegistryText();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t("edit.cancel")}
      </Button>
      <Button type="submit" loading={saving}>
        {label}
      </Button>
    </Group>
  );
}

/** Address and head of the household. */
export function EditHouseholdForm({
  household,
  onClose,
}: {
  household: HouseholdRecord;
  onClose: () => void;
}) {
  const { t } = useRegistryText();
  const { t: ht } = useHouseholdsText();
  const current = household.members.filter((m) => m.isCurrent);
  const head = current.find((m) => m.relation === "head");
  const [address, setAddress] = useState(household.address ?? "");
  const [headId, setHeadId] = useState(String(head?.id ?? ""));
  const [formerRelation, setFormerRelation] = useState<Relation>("spouse");
  const changesHead = head !== undefined && headId !== String(head.id);
  const save = useHouseholdWrite(
    household.id,
    () =>
      updateHousehold(household.id, {
        address: address.trim() || null,
        ...(changesHead ? { headMemberId: Number(headId), formerHeadRelation: formerRelation } : {}),
        expectedVersion: household.version,
      }),
    onClose,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput
          label={t("register.address")}
          value={address}
          onChange={(e) => setAddress(e.currentTarget.value)}
          maxLength={300}
        />
        <NativeSelect
          label={t("edit.head")}
          value={headId}
          onChange={(e) => setHeadId(e.currentTarget.value)}
          data={current.map((m) => ({ value: String(m.id), label: `${m.fullName} (${m.birthYear})` }))}
          description={t("edit.headChangeHint")}
        />
        {changesHead && (
          <NativeSelect
            label={t("edit.formerHeadRelation")}
            value={formerRelation}
            onChange={(e) => setFormerRelation(e.currentTarget.value as Relation)}
            data={notHead.map((r) => ({ value: r, label: ht(`relations.${r}` as "relations.head") }))}
          />
        )}
        {save.isError && <WriteError error={save.error} />}
        <Buttons onCancel={onClose} saving={save.isPending} label={t("edit.save")} />
      </Stack>
    </form>
  );
}

/** A member joining: birth, marriage, moving in, with the day. */
export function AddMemberForm({ household, onClose }: { household: HouseholdRecord; onClose: () => void }) {
  const { t, language } = useRegistryText();
  const [draft, setDraft] = useState<MemberDraft>({
    ...emptyMember("child"),
    joinReason: "birth",
    joinedOn: todayInVietnam(),
  });
  const [errors, setErrors] = useState<MemberErrors>({});
  const save = useHouseholdWrite(
    household.id,
    () =>
      addMember(household.id, {
        ...memberBody(draft),
        joinReason: draft.joinReason,
        joinedOn: draft.joinedOn,
        expectedVersion: household.version,
      }),
    onClose,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = memberProblems(draft, t, language);
    setErrors(found);
    if (Object.keys(found).length === 0) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <MemberFields
          value={draft}
          onChange={setDraft}
          errors={errors}
          relationChoices={notHead}
          withJoining
        />
        {save.isError && <WriteError error={save.error} />}
        <Buttons onCancel={onClose} saving={save.isPending} label={t("edit.addMember")} />
      </Stack>
    </form>
  );
}

/** Correcting what is recorded about a current member (the head's relation is changed by changing the head). */
export function CorrectMemberForm({
  household,
  member,
  onClose,
}: {
  household: HouseholdRecord;
  member: HouseholdMember;
  onClose: () => void;
}) {
  const { t, language } = useRegistryText();
  const isHead = member.relation === "head";
  const [draft, setDraft] = useState<MemberDraft>({
    fullName: member.fullName,
    relation: member.relation,
    birthYear: member.birthYear,
    birthDate: member.birthDate,
    sex: member.sex,
    ethnicity: member.ethnicity ?? "",
    // A masked ID is never sent back: the reader types a new one or leaves the field as it is.
    citizenId: member.masked ? "" : (member.citizenId ?? ""),
    joinedOn: member.joinedOn,
    joinReason: "registered",
  });
  const [errors, setErrors] = useState<MemberErrors>({});
  const save = useHouseholdWrite(
    household.id,
    () => {
      const { relation, ...rest } = memberBody(draft);
      return correctMember(member.id, {
        ...rest,
        ...(isHead ? {} : { relation }),
        expectedVersion: household.version,
      });
    },
    onClose,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = memberProblems(draft, t, language);
    setErrors(found);
    if (Object.keys(found).length === 0) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <MemberFields
          value={draft}
          onChange={setDraft}
          errors={errors}
          relationChoices={isHead ? ["head"] : notHead}
          withBirthDate={!member.masked}
        />
        {save.isError && <WriteError error={save.error} />}
        <Buttons onCancel={onClose} saving={save.isPending} label={t("edit.save")} />
      </Stack>
    </form>
  );
}

/** A member leaving on a day, with the reason. */
export function LeaveForm({
  household,
  member,
  onClose,
}: {
  household: HouseholdRecord;
  member: HouseholdMember;
  onClose: () => void;
}) {
  const { t } = useRegistryText();
  const [leftOn, setLeftOn] = useState<string | null>(todayInVietnam());
  const [reason, setReason] = useState<LeaveReason>("moved_out");
  const [error, setError] = useState<string | undefined>();
  const save = useHouseholdWrite(
    household.id,
    () => recordLeave(member.id, { leftOn: leftOn ?? "", reason, expectedVersion: household.version }),
    onClose,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(leftOn ? undefined : t("member.required"));
    if (leftOn) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("edit.leaveHint")}
        </Text>
        <NativeSelect
          label={t("edit.leaveReason")}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value as LeaveReason)}
          data={leaveReasons.map((r) => ({ value: r, label: t(`leaveReasons.${r}`) }))}
        />
        <DayInput label={t("edit.leftOn")} value={leftOn} onChange={setLeftOn} error={error} />
        {save.isError && <WriteError error={save.error} />}
        <Buttons onCancel={onClose} saving={save.isPending} label={t("edit.save")} />
      </Stack>
    </form>
  );
}

/** Soft delete with a reason; the list is shown afterwards. */
export function DeleteForm({ household, onClose }: { household: HouseholdRecord; onClose: () => void }) {
  const { t } = useRegistryText();
  const navigate = useNavigate();
  const [reason, setReason] = useState("");
  const save = useHouseholdWrite(
    household.id,
    () => deleteHousehold(household.id, { reason: reason.trim(), expectedVersion: household.version }),
    () => {
      onClose();
      void navigate({ to: "/households", search: { commune: household.communeCode } });
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length >= 3) save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm">{t("edit.deleteHint")}</Text>
        <Textarea
          label={t("edit.deleteReason")}
          description={t("edit.deleteReasonHint")}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={2}
          required
        />
        {save.isError && <WriteError error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("edit.cancel")}
          </Button>
          <Button type="submit" color="red" loading={save.isPending} disabled={reason.trim().length < 3}>
            {t("edit.confirmDelete")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
