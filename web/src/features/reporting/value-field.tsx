import { Alert, Button, Group, Loader, NativeSelect, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { type KeyboardEvent, lazy, Suspense, useState } from "react";
import { formatDateTime, formatTime } from "../../lib/dates.ts";
import type { EntryContext, PeriodType, Violation } from "./api.ts";
import type { EntryStore, FieldState } from "./entry-store.ts";
import { AmbiguityQuestion, PreviousValue, SoftWarnings } from "./guardrails.tsx";
import classes from "./reporting.module.css";
import { focusNextField, useField } from "./use-entry-store.ts";
import { useReportingText } from "./use-reporting-text.ts";
import { describeRaw, describeStored } from "./values.ts";

interface ValueFieldProps {
  store: EntryStore;
  code: string;
  violations: Violation[];
  isReadOnly: boolean;
  myId: number | undefined;
  /** The previous period's values, usual ranges and change factor (GET /data-entry/context), once loaded. */
  context?: EntryContext | undefined;
  periodType: PeriodType;
}

export const fieldId = (code: string) => `field-${code}`;

/**
 * One data element: a labelled input by its type, its unit of measure, its save state (saving, saved, error,
 * waiting for the network), the checks it fails, and a conflict to settle when someone else changed it meanwhile.
 */
export function ValueField({
  store,
  code,
  violations,
  isReadOnly,
  myId,
  context,
  periodType,
}: ValueFieldProps) {
  const { t, name } = useReportingText();
  const field = useField(store, code);
  if (!field) return null;
  const { element } = field;
  const id = fieldId(code);
  const labelId = `${id}-label`;
  const stateId = `${id}-state`;
  const typeError = field.typeError ? t(`field.${field.typeError}`) : null;
  const serverError = field.save.kind === "error" ? t("field.error", { message: field.save.message }) : null;

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== "Enter" || event.nativeEvent.isComposing) return;
    // In a text box Shift+Enter starts a new line; everywhere else Enter (Shift+Enter) goes to the next (previous) field.
    if (element.valueType === "text" && event.shiftKey) return;
    event.preventDefault();
    store.commit(code);
    focusNextField(event.currentTarget, event.shiftKey);
  };
  const common = {
    id,
    label: name(element),
    labelProps: { id: labelId },
    description: element.unitOfMeasure
      ? t("entry.unitOfMeasure", { unit: element.unitOfMeasure })
      : undefined,
    error: typeError ?? serverError ?? undefined,
    onBlur: () => store.commit(code),
    onKeyDown,
    "data-entry-field": "",
    size: "md" as const,
  };

  let input: React.ReactNode;
  if (element.valueType === "boolean") {
    input = (
      <NativeSelect
        {...common}
        value={field.text}
        disabled={isReadOnly}
        onChange={(event) => store.setText(code, event.currentTarget.value)}
        data={[
          { value: "", label: t("entry.notEntered") },
          { value: "true", label: t("entry.yes") },
          { value: "false", label: t("entry.no") },
        ]}
      />
    );
  } else if (element.valueType === "text") {
    input = (
      <Textarea
        {...common}
        value={field.text}
        readOnly={isReadOnly}
        autosize
        minRows={2}
        maxRows={8}
        onChange={(event) => store.setText(code, event.currentTarget.value)}
      />
    );
  } else {
    const hint =
      element.valueType === "integer"
        ? t("entry.integerHint")
        : element.valueType === "percentage"
          ? t("entry.percentageHint")
          : t("entry.numberHint");
    input = (
      <TextInput
        {...common}
        value={field.text}
        readOnly={isReadOnly}
        inputMode={element.valueType === "integer" ? "numeric" : "decimal"}
        autoComplete="off"
        spellCheck={false}
        placeholder={hint}
        onChange={(event) => store.setText(code, event.currentTarget.value)}
        onFocus={(event) => event.currentTarget.select()}
        classNames={{ input: classes.numberInput }}
      />
    );
  }

  return (
    <fieldset aria-labelledby={labelId} className={classes.field}>
      <Stack gap={4}>
        {input}
        <PreviousValue field={field} context={context} periodType={periodType} />
        <AmbiguityQuestion store={store} field={field} />
        <SoftWarnings field={field} context={context} />
        <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
          <SaveState field={field} id={stateId} isReadOnly={isReadOnly} />
          <DetailsButton store={store} field={field} isReadOnly={isReadOnly} myId={myId} />
        </Group>
        {field.storedComment && (
          <Text size="sm" c="dimmed" className={classes.comment}>
            {t("field.commentShown", { comment: field.storedComment })}
          </Text>
        )}
        {violations.length > 0 && (
          <ul className={classes.fieldChecks}>
            {violations.map((v) => (
              <li key={v.code}>
                <ViolationText violation={v} />
              </li>
            ))}
          </ul>
        )}
        {field.save.kind === "conflict" && <Conflict store={store} field={field} myId={myId} />}
      </Stack>
    </fieldset>
  );
}

function ViolationText({ violation }: { violation: Violation }) {
  const { violationMessage } = useReportingText();
  return (
    <Text size="sm" c={violation.importance === "high" ? "red.9" : "orange.9"} fw={500}>
      {violationMessage(violation)}
    </Text>
  );
}

/** "Đang lưu…", "Đã lưu", "Chờ gửi": announced politely, so a screen reader hears each save. */
function SaveState({ field, id, isReadOnly }: { field: FieldState; id: string; isReadOnly: boolean }) {
  const { t } = useReportingText();
  const state = field.save;
  let content: React.ReactNode = null;
  if (isReadOnly)
    content = (
      <Text size="sm" c="dimmed">
        {t("field.readOnly")}
      </Text>
    );
  else if (state.kind === "saving")
    content = (
      <Group gap={6} wrap="nowrap">
        <Loader size={12} />
        <Text size="sm" c="dimmed">
          {t("field.saving")}
        </Text>
      </Group>
    );
  else if (state.kind === "saved")
    content = (
      <Text size="sm" c="green.9" fw={600} title={t("field.savedAt", { time: formatTime(state.at) })}>
        ✓ {t("field.saved")}
      </Text>
    );
  else if (state.kind === "queued")
    content = (
      <Text size="sm" c="orange.9" fw={600}>
        ⏳ {t("field.queued")}
      </Text>
    );
  return (
    <div id={id} role="status" aria-live="polite" className={classes.saveState}>
      {content}
    </div>
  );
}

function Conflict({
  store,
  field,
  myId,
}: {
  store: EntryStore;
  field: FieldState;
  myId: number | undefined;
}) {
  const { t, language, who } = useReportingText();
  if (field.save.kind !== "conflict") return null;
  const { mine, current } = field.save;
  const words = { yes: t("entry.yes"), no: t("entry.no"), empty: t("field.empty") };
  const type = field.element.valueType;
  return (
    <Alert color="orange" variant="light" title={t("conflict.title")} role="alert">
      <Stack gap="xs">
        <Text size="sm">{t("conflict.mine", { value: describeRaw(mine, type, language, words) })}</Text>
        <Text size="sm">
          {current
            ? t("conflict.current", {
                value: describeStored(current.value, type, language, words),
                who: who(current.updatedBy, myId, current.updatedByName),
                at: formatDateTime(current.updatedAt),
              })
            : t("conflict.currentCleared")}
        </Text>
        <Group gap="xs">
          <Button size="compact-sm" onClick={() => store.keepMine(field.element.code)}>
            {t("conflict.keepMine")}
          </Button>
          <Button size="compact-sm" variant="default" onClick={() => store.takeCurrent(field.element.code)}>
            {t("conflict.takeCurrent")}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/**
 * The comment-and-history popover comes with its first use: its floating layer is 20 KB of the entry page's first
 * download otherwise (the budget is 200 KB on a weak link). Until then a button that looks the same.
 */
const FieldDetails = lazy(() => import("./field-details.tsx").then((m) => ({ default: m.FieldDetails })));

function DetailsButton(props: {
  store: EntryStore;
  field: FieldState;
  isReadOnly: boolean;
  myId: number | undefined;
}) {
  const { t, name } = useReportingText();
  const [isWanted, setWanted] = useState(false);
  const button = (isLoading: boolean) => (
    <Button
      variant="subtle"
      size="compact-sm"
      loading={isLoading}
      onClick={() => setWanted(true)}
      aria-label={t("field.detailsOf", { name: name(props.field.element) })}
      aria-expanded={false}
      className={classes.detailsButton}
    >
      {t("field.details")}
    </Button>
  );
  if (!isWanted) return button(false);
  return (
    <Suspense fallback={button(true)}>
      <FieldDetails {...props} isInitiallyOpen />
    </Suspense>
  );
}
