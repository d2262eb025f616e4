import { Alert, Button, FileButton, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { ApiError } from "../../api/client.ts";
import { ErrorState } from "../../components/status.tsx";
import {
  downloadFile,
  type FileFormat,
  formatOfFile,
  type ImportResult,
  type ImportRowError,
  importErrors,
  importFile,
  type Target,
} from "./api.ts";
import { useReportingText } from "./use-reporting-text.ts";

type Step =
  | { kind: "none" }
  | { kind: "checking"; file: File }
  | { kind: "checked"; file: File; format: FileFormat; result: ImportResult }
  | { kind: "bad"; file: File; errors: ImportRowError[] }
  | { kind: "committing"; file: File; format: FileFormat }
  | { kind: "imported"; result: ImportResult }
  | { kind: "failed"; error: unknown };

/**
 * Templates and exports to download, and a file to import: checked first (dry run) with each bad row named, then
 * written on "Nhập". Officials used to Excel fill the template offline and bring it back.
 */
export function FilesPanel({
  target,
  canImport,
  onImported,
}: {
  target: Target;
  canImport: boolean;
  onImported: () => Promise<void>;
}) {
  const { t } = useReportingText();
  const [step, setStep] = useState<Step>({ kind: "none" });
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);

  const download = async (kind: "template" | "export", format: FileFormat) => {
    setDownloading(`${kind}-${format}`);
    setDownloadError(null);
    try {
      await downloadFile(kind, { ...target, format });
    } catch (err: unknown) {
      setDownloadError(
        t("files.downloadFailed", { message: err instanceof Error ? err.message : String(err) }),
      );
    } finally {
      setDownloading(null);
    }
  };

  const check = async (file: File | null) => {
    if (!file) return;
    const format = formatOfFile(file.name);
    if (!format) {
      setStep({ kind: "failed", error: new Error(t("files.unknownFormat")) });
      return;
    }
    setStep({ kind: "checking", file });
    try {
      const result = await importFile(file, format, true);
      setStep({ kind: "checked", file, format, result });
    } catch (err: unknown) {
      const errors = importErrors(err);
      setStep(errors.length ? { kind: "bad", file, errors } : { kind: "failed", error: err });
    }
  };

  const commit = async (file: File, format: FileFormat) => {
    setStep({ kind: "committing", file, format });
    try {
      const result = await importFile(file, format, false);
      setStep({ kind: "imported", result });
      await onImported();
    } catch (err: unknown) {
      const errors = importErrors(err);
      setStep(errors.length ? { kind: "bad", file, errors } : { kind: "failed", error: err });
    }
  };

  const downloadButton = (kind: "template" | "export", format: FileFormat) => (
    <Button
      key={format}
      variant="default"
      size="compact-md"
      loading={downloading === `${kind}-${format}`}
      onClick={() => download(kind, format)}
      // "CSV" twice on one panel: the name says which, a template or the entered data.
      aria-label={`${t(`files.${kind}`)}: ${t(`files.${format}`)}`}
    >
      {t(`files.${format}`)}
    </Button>
  );

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="files-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="files-heading">
          {t("files.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("files.intro")}
        </Text>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t("files.template")}
          </Text>
          <Group gap="xs">{(["xlsx", "csv"] as const).map((f) => downloadButton("template", f))}</Group>
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t("files.export")}
          </Text>
          <Group gap="xs">
            {(["xlsx", "csv", "dhis2"] as const).map((f) => downloadButton("export", f))}
          </Group>
        </Stack>
        {downloadError && (
          <Alert color="red" variant="light" role="alert" p="xs">
            <Text size="sm">{downloadError}</Text>
          </Alert>
        )}
        {canImport && (
          <Stack gap="xs" align="flex-start">
            <FileButton onChange={check} accept=".xlsx,.csv,.json,text/csv,application/json">
              {(props) => (
                <Button {...props} variant="light" loading={step.kind === "checking"}>
                  {t("files.upload")}
                </Button>
              )}
            </FileButton>
            <ImportStep step={step} onCommit={commit} onCancel={() => setStep({ kind: "none" })} />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function ImportStep({
  step,
  onCommit,
  onCancel,
}: {
  step: Step;
  onCommit: (file: File, format: FileFormat) => void;
  onCancel: () => void;
}) {
  const { t, language } = useReportingText();
  switch (step.kind) {
    case "none":
      return null;
    case "checking":
      return (
        <Text size="sm" role="status">
          {t("files.chosen", { name: step.file.name })} — {t("files.checking")}
        </Text>
      );
    case "checked":
    case "committing":
      return (
        <Alert color="blue" variant="light" role="status" w="100%">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t("files.chosen", { name: step.file.name })}</Text>
            {step.kind === "checked" && (
              <Text size="sm">{t("files.dryRunOk", { count: step.result.rows })}</Text>
            )}
            <Group gap="xs">
              <Button loading={step.kind === "committing"} onClick={() => onCommit(step.file, step.format)}>
                {t("files.commit")}
              </Button>
              <Button variant="default" disabled={step.kind === "committing"} onClick={onCancel}>
                {t("files.cancel")}
              </Button>
            </Group>
          </Stack>
        </Alert>
      );
    case "imported":
      return (
        <Alert color="green" variant="light" role="status" w="100%">
          <Text size="sm">
            {t("files.imported", { written: step.result.written, unchanged: step.result.unchanged })}
          </Text>
        </Alert>
      );
    case "bad":
      return (
        <Alert
          color="red"
          variant="light"
          role="alert"
          w="100%"
          styles={{ body: { minWidth: 0 } }}
          title={t("files.badRows", { count: step.errors.length })}
        >
          <Stack gap="xs">
            <Text size="sm">{t("files.chosen", { name: step.file.name })}</Text>
            <Table.ScrollContainer minWidth={280}>
              <Table withTableBorder fz="sm" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("files.colRow")}</Table.Th>
                    <Table.Th>{t("files.colColumn")}</Table.Th>
                    <Table.Th>{t("files.colMessage")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {step.errors.map((e) => (
                    <Table.Tr key={`${e.row}-${e.column}-${e.message}`}>
                      <Table.Td>{e.row}</Table.Td>
                      <Table.Td>{e.column}</Table.Td>
                      <Table.Td>{language === "en" ? e.message : e.messageVi}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        </Alert>
      );
    case "failed":
      return step.error instanceof ApiError ? (
        <ErrorState error={step.error} />
      ) : (
        <Alert color="red" variant="light" role="alert" w="100%">
          <Text size="sm">{step.error instanceof Error ? step.error.message : String(step.error)}</Text>
        </Alert>
      );
  }
}
