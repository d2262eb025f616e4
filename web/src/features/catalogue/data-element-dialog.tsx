import { Select, SimpleGrid, Stack, Textarea, TextInput } from "@mantine/core";
import type { FormEvent } from "react";
import {
  type Aggregation,
  aggregations,
  createDataElement,
  type DataElement,
  updateDataElement,
  type ValueType,
  valueTypes,
} from "./api.ts";
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
import { useCatalogueText } from "./use-catalogue-text.ts";
import { useEntryEditor } from "./use-entry-editor.ts";

interface DataElementDialogProps {
  target: DialogTarget<DataElement> | null;
  /** Codes already in the catalogue (a new one must differ). */
  takenCodes: ReadonlySet<string>;
  onClose: () => void;
  onSaved: (code: string) => void;
}

/** "Thêm chỉ tiêu dữ liệu" / "Sửa chỉ tiêu": what is counted, in what unit, and how units' figures add up. */
export function DataElementDialog({ target, takenCodes, onClose, onSaved }: DataElementDialogProps) {
  const { t } = useCatalogueText();
  const title =
    target?.mode === "edit" ? t("element.editTitle", { code: target.entry.code }) : t("element.createTitle");
  return (
    <EntryModal title={title} opened={target !== null} onClose={onClose}>
      {target && (
        <DataElementForm
          key={target.mode === "edit" ? target.entry.code : "new"}
          entry={target.mode === "edit" ? target.entry : null}
          takenCodes={takenCodes}
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
  valueType: ValueType;
  unitOfMeasure: string | null;
  aggregation: Aggregation;
  description: string | null;
}

const valuesOf = (e: DataElement): Values => ({
  code: e.code,
  nameVi: e.nameVi,
  nameEn: e.nameEn,
  valueType: e.valueType,
  unitOfMeasure: e.unitOfMeasure,
  aggregation: e.aggregation,
  description: e.description,
});

const blank: Values = {
  code: "",
  nameVi: "",
  nameEn: "",
  valueType: "number",
  unitOfMeasure: null,
  aggregation: "sum",
  description: null,
};

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

function DataElementForm({
  entry,
  takenCodes,
  onCancel,
  onSaved,
}: {
  entry: DataElement | null;
  takenCodes: ReadonlySet<string>;
  onCancel: () => void;
  onSaved: (code: string) => void;
}) {
  const { t, valueTypeLabel, aggregationLabel } = useCatalogueText();
  const checkCode = useCodeCheck();
  const { base, values, errors, conflict, set, submit, takeCurrent, isSaving, problem } = useEntryEditor({
    entry,
    valuesOf,
    blank,
    create: createDataElement,
    update: updateDataElement,
    onSaved,
    onCancel,
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!base) found.code = checkCode(values.code, takenCodes);
    if (!values.nameVi.trim()) found.nameVi = t("form.required");
    if (!values.nameEn.trim()) found.nameEn = t("form.required");
    submit(found, {
      ...values,
      nameVi: values.nameVi.trim(),
      nameEn: values.nameEn.trim(),
      unitOfMeasure: orNull(values.unitOfMeasure ?? ""),
      description: orNull(values.description ?? ""),
    });
  };

  const labels = {
    nameVi: t("form.nameVi"),
    nameEn: t("form.nameEn"),
    valueType: t("element.valueType"),
    unitOfMeasure: t("element.unitOfMeasure"),
    aggregation: t("element.aggregation"),
    description: t("element.description"),
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {conflict && (
          <StaleNotice
            rows={staleRows(valuesOf(conflict), values, [
              { key: "nameVi", label: labels.nameVi },
              { key: "nameEn", label: labels.nameEn },
              {
                key: "valueType",
                label: labels.valueType,
                show: (v) => valueTypeLabel(v as ValueType),
              },
              { key: "unitOfMeasure", label: labels.unitOfMeasure },
              {
                key: "aggregation",
                label: labels.aggregation,
                show: (v) => aggregationLabel(v as Aggregation),
              },
              { key: "description", label: labels.description },
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
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Select
            label={labels.valueType}
            data={valueTypes.map((v) => ({ value: v, label: valueTypeLabel(v) }))}
            value={values.valueType}
            onChange={(v) => v && set("valueType", v as ValueType)}
            error={errors.valueType}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label={labels.unitOfMeasure}
            description={t("element.unitOfMeasureHint")}
            value={values.unitOfMeasure ?? ""}
            onChange={(event) => set("unitOfMeasure", event.currentTarget.value)}
            error={errors.unitOfMeasure}
            maxLength={50}
            autoComplete="off"
          />
          <Select
            label={labels.aggregation}
            description={t("element.aggregationHint")}
            data={aggregations.map((a) => ({ value: a, label: aggregationLabel(a) }))}
            value={values.aggregation}
            onChange={(v) => v && set("aggregation", v as Aggregation)}
            error={errors.aggregation}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        <Textarea
          label={labels.description}
          value={values.description ?? ""}
          onChange={(event) => set("description", event.currentTarget.value)}
          error={errors.description}
          maxLength={2000}
          autosize
          minRows={2}
          maxRows={6}
        />
        <FormActions
          onCancel={onCancel}
          isSaving={isSaving}
          blockedReason={null}
          submitLabel={base ? t("form.saveChanges") : t("form.create")}
        />
      </Stack>
    </form>
  );
}
