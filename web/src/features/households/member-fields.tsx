import { NativeSelect, NumberInput, SimpleGrid, TextInput } from "@mantine/core";
import { citizenIdProblem } from "../../../../src/modules/households/citizen-id.ts";
import { DayInput } from "../../components/day-input.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import { type JoinReason, joinReasons, type Relation, relations, type Sex } from "./registry-api.ts";
import { useHouseholdsText } from "./use-households-text.ts";
import { useRegistryText } from "./use-registry-text.ts";

/** A member as typed in a form: numbers may still be empty. */
export interface MemberDraft {
  fullName: string;
  relation: Relation;
  birthYear: number | "";
  birthDate: string | null;
  sex: Sex;
  ethnicity: string;
  citizenId: string;
  joinedOn: string | null;
  joinReason: JoinReason;
}

export const emptyMember = (relation: Relation): MemberDraft => ({
  fullName: "",
  relation,
  birthYear: "",
  birthDate: null,
  sex: "male",
  ethnicity: "",
  citizenId: "",
  joinedOn: null,
  joinReason: "registered",
});

export type MemberErrors = Partial<Record<"fullName" | "birthYear" | "citizenId" | "birthDate", string>>;

/**
 * What is wrong with a draft before it is sent, in the reader's language: the same citizen ID check the server
 * makes (12 digits, a province code, the birth year and sex it encodes), so a mistyped ID is caught on the phone.
 */
export function memberProblems(
  draft: MemberDraft,
  t: ReturnType<typeof useRegistryText>["t"],
  language: "vi" | "en",
): MemberErrors {
  const errors: MemberErrors = {};
  if (draft.fullName.trim() === "") errors.fullName = t("member.required");
  const thisYear = Number(todayInVietnam().slice(0, 4));
  if (draft.birthYear === "" || draft.birthYear < 1900 || draft.birthYear > thisYear)
    errors.birthYear = t("member.yearRange");
  const id = draft.citizenId.replace(/\s/g, "");
  if (id) {
    const problem = citizenIdProblem(id, {
      birthYear: draft.birthYear === "" ? null : draft.birthYear,
      sex: draft.sex,
    });
    if (problem) errors.citizenId = `${t("member.citizenId")} ${problem[language]}`;
  }
  if (draft.birthDate && draft.birthYear !== "" && Number(draft.birthDate.slice(0, 4)) !== draft.birthYear)
    errors.birthDate = t("member.yearRange");
  return errors;
}

/** The draft as the API takes it (empty optional fields left out). */
export function memberBody(draft: MemberDraft) {
  return {
    fullName: draft.fullName.trim(),
    relation: draft.relation,
    birthYear: Number(draft.birthYear),
    birthDate: draft.birthDate,
    sex: draft.sex,
    ethnicity: draft.ethnicity.trim() || null,
    citizenId: draft.citizenId.replace(/\s/g, "") || null,
  };
}

interface MemberFieldsProps {
  value: MemberDraft;
  onChange: (next: MemberDraft) => void;
  errors: MemberErrors;
  /** Which relations may be chosen (the head's row is fixed as head). */
  relationChoices?: readonly Relation[];
  /** Shows the joining date and reason (adding a member to an existing household). */
  withJoining?: boolean;
  /** Shows the birth date (only for roles that see it; others never had it). */
  withBirthDate?: boolean;
}

/** One member's fields, two columns on a desktop, one on a phone. */
export function MemberFields({
  value,
  onChange,
  errors,
  relationChoices = relations,
  withJoining = false,
  withBirthDate = true,
}: MemberFieldsProps) {
  const { t } = useRegistryText();
  const { t: ht } = useHouseholdsText();
  const set = <K extends keyof MemberDraft>(key: K, v: MemberDraft[K]) => onChange({ ...value, [key]: v });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
      <TextInput
        label={t("member.fullName")}
        value={value.fullName}
        onChange={(e) => set("fullName", e.currentTarget.value)}
        error={errors.fullName}
        required
        autoComplete="off"
      />
      <NativeSelect
        label={t("member.relation")}
        value={value.relation}
        onChange={(e) => set("relation", e.currentTarget.value as Relation)}
        data={relationChoices.map((r) => ({ value: r, label: ht(`relations.${r}` as "relations.head") }))}
        disabled={relationChoices.length === 1}
      />
      <NumberInput
        label={t("member.birthYear")}
        value={value.birthYear}
        onChange={(v) => set("birthYear", typeof v === "number" ? v : v === "" ? "" : Number(v))}
        error={errors.birthYear}
        min={1900}
        max={2100}
        allowDecimal={false}
        allowNegative={false}
        thousandSeparator=""
        hideControls
        required
        inputMode="numeric"
      />
      <NativeSelect
        label={t("member.sex")}
        value={value.sex}
        onChange={(e) => set("sex", e.currentTarget.value as Sex)}
        data={[
          { value: "male", label: t("member.male") },
          { value: "female", label: t("member.female") },
        ]}
      />
      <TextInput
        label={t("member.ethnicity")}
        value={value.ethnicity}
        onChange={(e) => set("ethnicity", e.currentTarget.value)}
        autoComplete="off"
      />
      <TextInput
        label={t("member.citizenId")}
        description={t("member.citizenIdHint")}
        value={value.citizenId}
        onChange={(e) => set("citizenId", e.currentTarget.value)}
        error={errors.citizenId}
        inputMode="numeric"
        maxLength={14}
        autoComplete="off"
        styles={{ input: { fontFamily: "monospace" } }}
      />
      {withBirthDate && (
        <DayInput
          label={t("member.birthDate")}
          value={value.birthDate}
          onChange={(d) => set("birthDate", d)}
          error={errors.birthDate}
        />
      )}
      {withJoining && (
        <>
          <NativeSelect
            label={t("member.joinReason")}
            value={value.joinReason}
            onChange={(e) => set("joinReason", e.currentTarget.value as JoinReason)}
            data={joinReasons.map((r) => ({ value: r, label: t(`joinReasons.${r}`) }))}
          />
          <DayInput
            label={t("member.joinedOn")}
            value={value.joinedOn}
            onChange={(d) => set("joinedOn", d)}
          />
        </>
      )}
    </SimpleGrid>
  );
}
