import { Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import type { DataElement } from "../catalogue/api.ts";
import { useCatalogueText } from "../catalogue/use-catalogue-text.ts";
import { useFormsText } from "./forms-text.ts";

interface FormPreviewProps {
  name: string;
  sections: Array<{ key: number; nameVi: string; nameEn: string; elements: string[] }>;
  elements: ReadonlyMap<string, DataElement>;
  deadlineLine: string | null;
}

/** The form as a commune officer will see it: sections in order, each element a field with its unit of measure. */
export function FormPreview({ name: formName, sections, elements, deadlineLine }: FormPreviewProps) {
  const { t } = useFormsText();
  const { name } = useCatalogueText();
  const filled = sections.filter((s) => s.elements.length > 0);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="form-preview-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="form-preview-heading">
          {t("preview")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("previewHint")}
        </Text>
        <Text fw={700}>{formName || "—"}</Text>
        {deadlineLine && <Text size="sm">{deadlineLine}</Text>}
        {filled.length === 0 && <Text c="dimmed">{t("previewEmpty")}</Text>}
        {filled.map((section, index) => (
          <Stack gap="xs" key={section.key}>
            <Title order={3} size="h5">
              {`${index + 1}. ${name(section) || t("section", { index: index + 1 })}`}
            </Title>
            {section.elements.map((code) => {
              const element = elements.get(code);
              return (
                <TextInput
                  key={code}
                  label={element ? name(element) : code}
                  rightSection={
                    element?.unitOfMeasure ? (
                      <Text size="xs" c="dimmed">
                        {element.unitOfMeasure}
                      </Text>
                    ) : null
                  }
                  rightSectionWidth={56}
                  readOnly
                  tabIndex={-1}
                  aria-readonly
                />
              );
            })}
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}
