import { Alert, Button, Group, Modal, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { type ReactNode, useId } from "react";
import { ApiError, fieldErrors } from "../../api/client.ts";
import { ErrorState } from "../../components/status.tsx";
import { expressionProblemsOf } from "./api.ts";
import type { ShownProblem } from "./expression-editor.tsx";
import { useCatalogueText } from "./use-catalogue-text.ts";

export type FieldErrors = Partial<Record<string, string>>;

/** What a dialog is for: a new entry, or a change to one read from the catalogue. */
export type DialogTarget<T> = { mode: "create" } | { mode: "edit"; entry: T };

/** What stops a save that no field is to blame for: no right to change the catalogue, or the server's own error. */
export function SaveProblemAlert({ problem }: { problem: SaveProblem | null }) {
  const { t } = useCatalogueText();
  if (problem?.isForbidden) {
    return (
      <Alert color="red" variant="light" role="alert">
        {t("form.forbidden")}
      </Alert>
    );
  }
  return problem?.other ? <ErrorState error={problem.other} /> : null;
}

/** An entry's names in Vietnamese and in English, side by side where there is room. */
export function NameFields({
  values,
  errors,
  onChange,
  autoFocus,
}: {
  values: { nameVi: string; nameEn: string };
  errors: FieldErrors;
  onChange: (field: "nameVi" | "nameEn", value: string) => void;
  autoFocus: boolean;
}) {
  const { t } = useCatalogueText();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      <TextInput
        label={t("form.nameVi")}
        value={values.nameVi}
        onChange={(event) => onChange("nameVi", event.currentTarget.value)}
        error={errors.nameVi}
        maxLength={300}
        autoComplete="off"
        data-autofocus={autoFocus ? true : undefined}
      />
      <TextInput
        label={t("form.nameEn")}
        value={values.nameEn}
        onChange={(event) => onChange("nameEn", event.currentTarget.value)}
        error={errors.nameEn}
        maxLength={300}
        autoComplete="off"
        lang="en"
      />
    </SimpleGrid>
  );
}

/** The catalogue's code rule (src/modules/reporting/catalogue.ts): what reported data and formulas refer to. */
export const codePattern = /^[A-Z][A-Z0-9_]{0,63}$/;

/** A create or edit dialog: full screen on a phone, where a centred box leaves no room for the keyboard. */
export function EntryModal({
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
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size="xl"
      fullScreen={isPhone}
      // Half a formula typed must not vanish on a stray click beside the dialog.
      closeOnClickOutside={false}
    >
      {children}
    </Modal>
  );
}

/** What a refused save means for the form: messages per field, formula problems per field, or something else. */
export interface SaveProblem {
  fields: FieldErrors;
  expressions: Partial<Record<string, ShownProblem>>;
  isForbidden: boolean;
  /** Neither a field's fault nor a conflict: shown as it came. */
  other: unknown;
}

export function useSaveProblem() {
  const { t } = useCatalogueText();
  return (error: unknown): SaveProblem => {
    const problem: SaveProblem = { fields: {}, expressions: {}, isForbidden: false, other: null };
    if (!(error instanceof ApiError)) return { ...problem, other: error };
    if (error.code === "code_taken") return { ...problem, fields: { code: t("form.codeTaken") } };
    if (error.status === 403) return { ...problem, isForbidden: true };
    if (error.code === "invalid_expression") {
      for (const p of expressionProblemsOf(error)) problem.expressions[p.field] ??= p;
      return problem;
    }
    if (error.code === "invalid_input") {
      for (const f of fieldErrors(error))
        problem.fields[f.field] ??= t("form.invalidField", { message: f.message });
      if (Object.keys(problem.fields).length > 0) return problem;
    }
    return { ...problem, other: error };
  };
}

/** The code field: upper-case as it is typed, since codes are; fixed once the entry exists. */
export function CodeField({
  value,
  onChange,
  error,
  isFixed,
}: {
  value: string;
  onChange: (code: string) => void;
  error: string | undefined;
  isFixed: boolean;
}) {
  const { t } = useCatalogueText();
  return (
    <TextInput
      label={t("form.code")}
      description={isFixed ? t("form.codeFixed") : t("form.codeHint")}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value.toUpperCase())}
      error={error}
      readOnly={isFixed}
      variant={isFixed ? "filled" : "default"}
      autoComplete="off"
      autoCapitalize="characters"
      spellCheck={false}
      maxLength={64}
      ff="monospace"
      data-autofocus={isFixed ? undefined : true}
    />
  );
}

/** Checks a new code before asking the server: its shape, and whether the loaded catalogue already has it. */
export function useCodeCheck() {
  const { t } = useCatalogueText();
  return (code: string, taken: ReadonlySet<string>): string | undefined => {
    if (!code) return t("form.required");
    if (!codePattern.test(code)) return t("form.codeInvalid");
    if (taken.has(code)) return t("form.codeTaken");
    return undefined;
  };
}

export interface StaleRow {
  label: string;
  theirs: ReactNode;
  mine: ReactNode;
}

/**
 * Someone saved the entry while this dialog was open: what they changed next to what was typed here. Saving again
 * puts these changes over theirs; "take theirs" starts again from the entry as it now is.
 */
export function StaleNotice({ rows, onUseCurrent }: { rows: StaleRow[]; onUseCurrent: () => void }) {
  const { t } = useCatalogueText();
  return (
    <Alert color="orange" variant="light" title={t("stale.title")} role="alert">
      <Stack gap="sm">
        <Text size="sm">{rows.length > 0 ? t("stale.intro") : t("stale.introSame")}</Text>
        {rows.length > 0 && (
          <Table withTableBorder verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("stale.field")}</Table.Th>
                <Table.Th scope="col">{t("stale.theirs")}</Table.Th>
                <Table.Th scope="col">{t("stale.mine")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.label}>
                  <Table.Th scope="row" fw={600}>
                    {row.label}
                  </Table.Th>
                  <Table.Td>{row.theirs}</Table.Td>
                  <Table.Td>{row.mine}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text size="sm">{t("stale.reapply")}</Text>
        <Group gap="sm">
          <Button variant="outline" color="orange" size="xs" onClick={onUseCurrent}>
            {t("stale.useCurrent")}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** The rows of a stale notice: the fields where the entry now differs from what this form holds. */
export function staleRows<V extends object>(
  theirs: V,
  mine: V,
  fields: Array<{ key: keyof V & string; label: string; show?: (value: V[keyof V]) => ReactNode }>,
): StaleRow[] {
  return fields
    .filter(({ key }) => String(theirs[key] ?? "") !== String(mine[key] ?? ""))
    .map(({ key, label, show }) => ({
      label,
      theirs: show ? show(theirs[key]) : String(theirs[key] ?? "—"),
      mine: show ? show(mine[key]) : String(mine[key] ?? "—"),
    }));
}

/** Only what changed, with the version read: the server keeps whatever else someone may have changed meanwhile. */
export function changedFields<V extends object>(base: V, values: V): Partial<V> {
  const patch: Partial<V> = {};
  for (const key of Object.keys(values) as Array<keyof V>) {
    if (values[key] !== base[key]) patch[key] = values[key];
  }
  return patch;
}

/** Cancel and save; when saving is held back, the reason next to the button (and read out when it changes). */
export function FormActions({
  onCancel,
  isSaving,
  blockedReason,
  submitLabel,
}: {
  onCancel: () => void;
  isSaving: boolean;
  blockedReason: string | null;
  submitLabel: string;
}) {
  const { t } = useCatalogueText();
  const reasonId = useId();
  return (
    <Stack gap={6}>
      <Text size="sm" c="red.9" ta="right" aria-live="polite" id={reasonId}>
        {blockedReason ?? ""}
      </Text>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onCancel}>
          {t("form.cancel")}
        </Button>
        <Button
          type="submit"
          loading={isSaving}
          disabled={blockedReason !== null}
          aria-describedby={blockedReason ? reasonId : undefined}
        >
          {submitLabel}
        </Button>
      </Group>
    </Stack>
  );
}
