import { Select, SimpleGrid, Stack, Textarea } from "@mantine/core";
import { type FormEvent, useMemo, useState } from "react";
import {
  createValidationRule,
  type DataElement,
  type Importance,
  importances,
  type RuleOperator,
  ruleOperators,
  updateValidationRule,
  type ValidationRule,
} from "./api.ts";
import {
  CodeField,
  type DialogTarget,
  EntryModal,
  type FieldErrors,
  FormActions,
  SaveProblemAlert,
  StaleNotice,
  staleRows,
  useCodeCheck,
} from "./entry-form.tsx";
import { checkExpression } from "./expression.ts";
import { ExpressionEditor } from "./expression-editor.tsx";
import { type ElementsByCode, RuleFormula } from "./formula.tsx";
import { FormulaPreview } from "./formula-preview.tsx";
import { operatorSymbols, useCatalogueText } from "./use-catalogue-text.ts";
import { useEntryEditor, useFormulaProblems } from "./use-entry-editor.ts";

interface RuleDialogProps {
  target: DialogTarget<ValidationRule> | null;
  takenCodes: ReadonlySet<string>;
  elements: readonly DataElement[];
  onClose: () => void;
  onSaved: (code: string) => void;
}

/** "Thêm quy tắc kiểm tra" / "Sửa quy tắc": left, comparison, right, and what to tell the person entering data. */
export function RuleDialog({ target, takenCodes, elements, onClose, onSaved }: RuleDialogProps) {
  const { t } = useCatalogueText();
  const title =
    target?.mode === "edit" ? t("rule.editTitle", { code: target.entry.code }) : t("rule.createTitle");
  return (
    <EntryModal title={title} opened={target !== null} onClose={onClose}>
      {target && (
        <RuleForm
          key={target.mode === "edit" ? target.entry.code : "new"}
          entry={target.mode === "edit" ? target.entry : null}
          takenCodes={takenCodes}
          elements={elements}
          onCancel={onClose}
          onSaved={onSaved}
        />
      )}
    </EntryModal>
  );
}

interface Values {
  code: string;
  left: string;
  operator: RuleOperator;
  right: string;
  importance: Importance;
  messageVi: string;
  messageEn: string;
}

const formulaFields = ["left", "right"] as const;

const valuesOf = (r: ValidationRule): Values => ({
  code: r.code,
  left: r.left,
  operator: r.operator,
  right: r.right,
  importance: r.importance,
  messageVi: r.messageVi,
  messageEn: r.messageEn,
});

const blank: Values = {
  code: "",
  left: "",
  operator: "<=",
  right: "",
  importance: "high",
  messageVi: "",
  messageEn: "",
};

function RuleForm({
  entry,
  takenCodes,
  elements,
  onCancel,
  onSaved,
}: {
  entry: ValidationRule | null;
  takenCodes: ReadonlySet<string>;
  elements: readonly DataElement[];
  onCancel: () => void;
  onSaved: (code: string) => void;
}) {
  const { t, operatorLabel, importanceLabel } = useCatalogueText();
  const checkCode = useCodeCheck();
  const formulas = useFormulaProblems(formulaFields);
  const { base, values, errors, conflict, set, submit, takeCurrent, isSaving, problem } = useEntryEditor({
    entry,
    valuesOf,
    blank,
    create: createValidationRule,
    update: updateValidationRule,
    onSaved,
    onCancel,
    onProblem: formulas.remember,
  });
  const [hasTriedSave, setTriedSave] = useState(false);

  const byCode: ElementsByCode = useMemo(() => new Map(elements.map((e) => [e.code, e])), [elements]);
  const known = useMemo(() => new Set(byCode.keys()), [byCode]);
  const left = useMemo(() => checkExpression(values.left, known), [values.left, known]);
  const right = useMemo(() => checkExpression(values.right, known), [values.right, known]);
  const leftProblem = formulas.problemOf("left", values.left, left.problem);
  const rightProblem = formulas.problemOf("right", values.right, right.problem);

  const labels = {
    left: t("rule.left"),
    operator: t("rule.operator"),
    right: t("rule.right"),
    importance: t("rule.importance"),
    messageVi: t("rule.messageVi"),
    messageEn: t("rule.messageEn"),
  };
  const blockedFields = [leftProblem && labels.left, rightProblem && labels.right].filter(
    (label): label is string => typeof label === "string",
  );
  const blockedReason =
    blockedFields.length > 0 ? t("form.blockedByFormula", { fields: blockedFields.join(", ") }) : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTriedSave(true);
    const found: FieldErrors = {};
    if (!base) found.code = checkCode(values.code, takenCodes);
    if (!values.messageVi.trim()) found.messageVi = t("form.required");
    if (!values.messageEn.trim()) found.messageEn = t("form.required");
    submit(
      found,
      blockedReason
        ? null
        : {
            ...values,
            left: values.left.trim(),
            right: values.right.trim(),
            messageVi: values.messageVi.trim(),
            messageEn: values.messageEn.trim(),
          },
    );
  };

  const operatorOption = (op: RuleOperator) => `${operatorSymbols[op]}  ${operatorLabel(op)}`;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {conflict && (
          <StaleNotice
            rows={staleRows(valuesOf(conflict), values, [
              { key: "left", label: labels.left, show: (v) => <code>{String(v)}</code> },
              { key: "operator", label: labels.operator, show: (v) => operatorOption(v as RuleOperator) },
              { key: "right", label: labels.right, show: (v) => <code>{String(v)}</code> },
              {
                key: "importance",
                label: labels.importance,
                show: (v) => importanceLabel(v as Importance),
              },
              { key: "messageVi", label: labels.messageVi },
              { key: "messageEn", label: labels.messageEn },
            ])}
            onUseCurrent={takeCurrent}
          />
        )}
        <SaveProblemAlert problem={problem} />
        <CodeField
          value={values.code}
          onChange={(code) => set("code", code)}
          error={errors.code}
          isFixed={base !== null}
        />
        <ExpressionEditor
          label={labels.left}
          placeholder="#{HH_POOR} + #{HH_NEAR_POOR}"
          value={values.left}
          onChange={(text) => set("left", text)}
          problem={leftProblem}
          isProblemShown={hasTriedSave || formulas.hasServerProblem("left")}
          elements={elements}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <Select
            label={labels.operator}
            data={ruleOperators.map((op) => ({ value: op, label: operatorOption(op) }))}
            value={values.operator}
            onChange={(v) => v && set("operator", v as RuleOperator)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={labels.importance}
            description={t("rule.importanceHint")}
            data={importances.map((i) => ({ value: i, label: importanceLabel(i) }))}
            value={values.importance}
            onChange={(v) => v && set("importance", v as Importance)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        <ExpressionEditor
          label={labels.right}
          placeholder="#{HH_TOTAL}"
          value={values.right}
          onChange={(text) => set("right", text)}
          problem={rightProblem}
          isProblemShown={hasTriedSave || formulas.hasServerProblem("right")}
          elements={elements}
        />
        <FormulaPreview
          isReady={left.expr !== null && right.expr !== null}
          exprs={[left.expr, right.expr]}
          byCode={byCode}
        >
          <RuleFormula rule={values} elements={byCode} />
        </FormulaPreview>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Textarea
            label={labels.messageVi}
            description={t("rule.messageHint")}
            value={values.messageVi}
            onChange={(event) => set("messageVi", event.currentTarget.value)}
            error={errors.messageVi}
            maxLength={500}
            autosize
            minRows={2}
          />
          <Textarea
            label={labels.messageEn}
            value={values.messageEn}
            onChange={(event) => set("messageEn", event.currentTarget.value)}
            error={errors.messageEn}
            maxLength={500}
            autosize
            minRows={2}
            lang="en"
          />
        </SimpleGrid>
        <FormActions
          onCancel={onCancel}
          isSaving={isSaving}
          blockedReason={blockedReason}
          submitLabel={base ? t("form.saveChanges") : t("form.create")}
        />
      </Stack>
    </form>
  );
}
