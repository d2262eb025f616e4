import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";
import { useReportingText } from "./use-reporting-text.ts";

/** Before a report with empty fields is submitted: which ones, and whether to send it anyway (issue 10). */
export function BlanksDialog({
  names,
  onBack,
  onSend,
}: {
  names: string[];
  onBack: () => void;
  onSend: () => void;
}) {
  const { t } = useReportingText();
  return (
    <Modal opened onClose={onBack} title={t("blanks.title")}>
      <Stack gap="sm">
        <Text size="sm">{t("blanks.intro", { count: names.length })}</Text>
        <ul style={{ margin: 0, paddingInlineStart: "1.25rem" }}>
          {names.map((name) => (
            <li key={name}>
              <Text size="sm">{name}</Text>
            </li>
          ))}
        </ul>
        <Text size="sm" fw={600}>
          {t("blanks.question")}
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onBack} data-autofocus>
            {t("blanks.back")}
          </Button>
          <Button onClick={onSend}>{t("blanks.send")}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The reason a province gives to return or unlock a report. */
export function ReasonDialog({
  action,
  busy,
  onCancel,
  onConfirm,
}: {
  action: "return" | "unlock" | null;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const { t } = useReportingText();
  const [reason, setReason] = useState("");
  const [isMissing, setMissing] = useState(false);
  return (
    <Modal opened onClose={onCancel} title={action ? t(`report.reasonTitle.${action}`) : ""} size="md">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!reason.trim()) {
            setMissing(true);
            return;
          }
          onConfirm(reason.trim());
        }}
      >
        <Stack gap="sm">
          <Textarea
            label={t("report.reasonLabel")}
            description={t("report.reasonHint")}
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setMissing(false);
            }}
            error={isMissing ? t("report.reasonRequired") : undefined}
            required
            autosize
            minRows={3}
            data-autofocus
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onCancel}>
              {t("report.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("report.confirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
