import { Group, NumberInput, Radio, SimpleGrid, Stack } from "@mantine/core";
import { type FormEvent, useMemo, useState } from "react";
import { createIndicator, type DataElement, type Indicator, updateIndicator } from "./api.ts";
import {
  CodeField,
  type DialogTarget,
  EntryModal,
  type FieldErrors,
  FormActions,
  NameFields,
  SaveProblemAlert,
  StaleNotice,
  staleRows,
  useCodeCheck,
} from "./entry-form.tsx";
import { checkExpression } from "./expression.ts";
import { ExpressionEditor } from "./expression-editor.tsx";
import { type ElementsByCode, IndicatorFormula } from "./formula.tsx";
import { FormulaPreview } from "./formula-preview.tsx";
import { useCatalogueText } from "./use-catalogue-text.ts";
import { useEntryEditor, useFormulaProblems } from "./use-entry-editor.ts";

interface IndicatorDialogProps {
  target: DialogTarget<Indicator> | null;
  takenCodes: ReadonlySet<string>;
  elements: readonly DataElement[];
  onClose: () => void;
  onSaved: (code: string) => void;
}

/** "Thêm chỉ số" / "Sửa chỉ số": a ratio of two formulas over data elements, times a factor. */
export function IndicatorDialog({ target, takenCodes, elements, onClose, onSaved }: IndicatorDialogProps) {
  const { t } = useCatalogueText();
  const title =
    target?.mode === "edit"
      ? t("indicator.editTitle", { code: target.entry.code })
      : t("indicator.createTitle");
  return (
    <EntryModal title={title} opened={target !== null} onClose={onClose}>
      {target && (
        <IndicatorForm
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
  nameVi: string;
  nameEn: string;
  numerator: string;
  denominator: string;
  factor: number | string;
  decimals: number | string;
  higherIsBetter: boolean;
}

const formulaFields = ["numerator", "denominator"] as const;

const valuesOf = (i: Indicator): Values => ({
  code: i.code,
  nameVi: i.nameVi,
  nameEn: i.nameEn,
  numerator: i.numerator,
  denominator: i.denominator,
  factor: i.factor,
  decimals: i.decimals,
  higherIsBetter: i.higherIsBetter,
});

// Most indicators of a commune report are percentages: 100 and one decimal, as in the demo catalogue.
const blank: Values = {
  code: "",
  nameVi: "",
  nameEn: "",
  numerator: "",
  denominator: "1",
  factor: 100,
  decimals: 1,
  higherIsBetter: true,
};

function IndicatorForm({
  entry,
  takenCodes,
  elements,
  onCancel,
  onSaved,
}: {
  entry: Indicator | null;
  takenCodes: ReadonlySet<string>;
  elements: readonly DataElement[];
  onCancel: () => void;
  onSaved: (code: string) => void;
}) {
  const { t } = useCatalogueText();
  const checkCode = useCodeCheck();
  const formulas = useFormulaProblems(formulaFields);
  const { base, values, errors, conflict, set, submit, takeCurrent, isSaving, problem } = useEntryEditor<
    Indicator,
    Values,
    Values & { factor: number; decimals: number }
  >({
    entry,
    valuesOf,
    blank,
    create: createIndicator,
    update: (code, patch) => updateIndicator(code, patch),
    onSaved,
    onCancel,
    onProblem: formulas.remember,
  });
  const [hasTriedSave, setTriedSave] = useState(false);

  const byCode: ElementsByCode = useMemo(() => new Map(elements.map((e) => [e.code, e])), [elements]);
  const known = useMemo(() => new Set(byCode.keys()), [byCode]);
  const numerator = useMemo(() => checkExpression(values.numerator, known), [values.numerator, known]);
  const denominator = useMemo(() => checkExpression(values.denominator, known), [values.denominator, known]);
  const numeratorProblem = formulas.problemOf("numerator", values.numerator, numerator.problem);
  const denominatorProblem = formulas.problemOf("denominator", values.denominator, denominator.problem);

  const labels = {
    nameVi: t("form.nameVi"),
    nameEn: t("form.nameEn"),
    numerator: t("indicator.numerator"),
    denominator: t("indicator.denominator"),
    factor: t("indicator.factor"),
    decimals: t("indicator.decimals"),
    direction: t("indicator.direction"),
  };
  const blockedFields = [
    numeratorProblem && labels.numerator,
    denominatorProblem && labels.denominator,
  ].filter((label): label is string => typeof label === "string");
  const blockedReason =
    blockedFields.length > 0 ? t("form.blockedByFormula", { fields: blockedFields.join(", ") }) : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTriedSave(true);
    const found: FieldErrors = {};
    if (!base) found.code = checkCode(values.code, takenCodes);
    if (!values.nameVi.trim()) found.nameVi = t("form.required");
    if (!values.nameEn.trim()) found.nameEn = t("form.required");
    const factor = typeof values.factor === "number" ? values.factor : Number.NaN;
    const decimals = typeof values.decimals === "number" ? values.decimals : Number.NaN;
    if (!(factor > 0)) found.factor = t("indicator.factorInvalid");
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6)
      found.decimals = t("indicator.decimalsInvalid");
    submit(
      found,
      blockedReason
        ? null
        : {
            ...values,
            nameVi: values.nameVi.trim(),
            nameEn: values.nameEn.trim(),
            numerator: values.numerator.trim(),
            denominator: values.denominator.trim(),
            factor,
            decimals,
          },
    );
  };

  const directionLabel = (higher: unknown) => (higher ? t("direction.higher") : t("direction.lower"));

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {conflict && (
          <StaleNotice
            rows={staleRows(valuesOf(conflict), values, [
              { key: "nameVi", label: labels.nameVi },
              { key: "nameEn", label: labels.nameEn },
              { key: "numerator", label: labels.numerator, show: (v) => <code>{String(v)}</code> },
              { key: "denominator", label: labels.denominator, show: (v) => <code>{String(v)}</code> },
              { key: "factor", label: labels.factor },
              { key: "decimals", label: labels.decimals },
              { key: "higherIsBetter", label: labels.direction, show: directionLabel },
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
        <NameFields values={values} errors={errors} onChange={set} autoFocus={base !== null} />
        <ExpressionEditor
          label={labels.numerator}
          description={t("indicator.numeratorHint")}
          placeholder="#{HH_POOR} + #{HH_NEAR_POOR}"
          value={values.numerator}
          onChange={(text) => set("numerator", text)}
          problem={numeratorProblem}
          isProblemShown={hasTriedSave || formulas.hasServerProblem("numerator")}
          elements={elements}
        />
        <ExpressionEditor
          label={labels.denominator}
          description={t("indicator.denominatorHint")}
          placeholder="#{HH_TOTAL}"
          value={values.denominator}
          onChange={(text) => set("denominator", text)}
          problem={denominatorProblem}
          isProblemShown={hasTriedSave || formulas.hasServerProblem("denominator")}
          elements={elements}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <NumberInput
            label={labels.factor}
            description={t("indicator.factorHint")}
            value={values.factor}
            onChange={(v) => set("factor", v)}
            error={errors.factor}
            min={0}
            allowNegative={false}
            decimalScale={6}
            hideControls
          />
          <NumberInput
            label={labels.decimals}
            description={t("indicator.decimalsHint")}
            value={values.decimals}
            onChange={(v) => set("decimals", v)}
            error={errors.decimals}
            min={0}
            max={6}
            allowDecimal={false}
            allowNegative={false}
          />
        </SimpleGrid>
        <Radio.Group
          label={labels.direction}
          description={t("indicator.directionHint")}
          value={values.higherIsBetter ? "higher" : "lower"}
          onChange={(v) => set("higherIsBetter", v === "higher")}
        >
          <Group gap="lg" mt={6}>
            <Radio value="higher" label={t("direction.higher")} />
            <Radio value="lower" label={t("direction.lower")} />
          </Group>
        </Radio.Group>
        <FormulaPreview
          isReady={numerator.expr !== null && denominator.expr !== null}
          exprs={[numerator.expr, denominator.expr]}
          byCode={byCode}
        >
          <IndicatorFormula
            indicator={{
              numerator: values.numerator,
              denominator: values.denominator,
              factor: typeof values.factor === "number" ? values.factor : 1,
            }}
            elements={byCode}
          />
        </FormulaPreview>
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
