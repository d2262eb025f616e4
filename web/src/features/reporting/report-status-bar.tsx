import { Alert, Badge, Button, Group, Paper, Stack, Text } from "@mantine/core";
import { lazy, Suspense, useState } from "react";
import { ApiError } from "../../api/client.ts";
import type { Role } from "../../api/types.ts";
import { formatDateTime, formatDay, todayInVietnam } from "../../lib/dates.ts";
import { blockingViolations, type Entry, type Transition, transitionReport, type Violation } from "./api.ts";
import type { EntryStore } from "./entry-store.ts";
import { valueQueue } from "./offline-queue.ts";
import classes from "./reporting.module.css";
import { useEntryMeta } from "./use-entry-store.ts";
import { statusColors, useReportingText } from "./use-reporting-text.ts";
import { fieldId } from "./value-field.tsx";

/**
 * The dialogs (a reason to return or unlock, the empty fields before submitting) come with their first use: a
 * Mantine Modal brings its scroll area and focus trap, 27 KB of the entry page's first download otherwise.
 */
const ReasonDialog = lazy(() => import("./report-dialogs.tsx").then((m) => ({ default: m.ReasonDialog })));
const BlanksDialog = lazy(() => import("./report-dialogs.tsx").then((m) => ({ default: m.BlanksDialog })));

const reporterRoles: readonly Role[] = ["commune_officer", "system_admin"];
const approverRoles: readonly Role[] = ["province_officer", "province_admin", "system_admin"];

/** Whether a role may type values (the server's data.write). */
export const canEnterData = (role: Role | undefined) => role !== undefined && reporterRoles.includes(role);

type Outcome =
  | { kind: "done"; action: Transition }
  | { kind: "blocked"; violations: Violation[] }
  | { kind: "error"; message: string };

/**
 * The report's status, deadline and who submitted or decided it, with the actions the person's role allows:
 * a commune submits and withdraws; the province approves, returns and unlocks (the last two with a reason).
 */
export function ReportStatusBar({
  store,
  entry,
  role,
  myId,
  onChanged,
}: {
  store: EntryStore;
  entry: Entry;
  role: Role | undefined;
  myId: number | undefined;
  onChanged: () => Promise<void>;
}) {
  const { t, name, statusLabel, who, violationMessage } = useReportingText();
  const nameOf = (code: string) => {
    const element = findElement(entry, code);
    return element ? name(element) : code;
  };
  const { report, violations } = useEntryMeta(store);
  const [busy, setBusy] = useState<Transition | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [asking, setAsking] = useState<"return" | "unlock" | null>(null);
  /** The elements left empty, listed before a report with blanks is submitted (issue 10); null when not asking. */
  const [blanks, setBlanks] = useState<string[] | null>(null);
  const emptyElements = () =>
    entry.form.sections
      .flatMap((s) => s.elements)
      .filter((e) => (store.getField(e.code)?.text ?? "").trim() === "")
      .map((e) => e.code);
  const isOverdue =
    todayInVietnam() > entry.period.deadline && report.status !== "submitted" && report.status !== "approved";
  const isReporter = role !== undefined && reporterRoles.includes(role);
  const isApprover = role !== undefined && approverRoles.includes(role);

  const act = async (action: Transition, reason?: string) => {
    setBusy(action);
    setOutcome(null);
    try {
      if (action === "submit") {
        // What was just typed goes first; a value still waiting for the network would be left out of the report.
        await store.settle();
        if (valueQueue.forTarget(store.target).length) {
          setOutcome({ kind: "error", message: t("report.waitQueue") });
          return;
        }
      }
      const next = await transitionReport({
        ...store.target,
        action,
        expectedVersion: store.getMeta().report.version,
        ...(reason ? { reason } : {}),
      });
      store.setReport(next);
      setOutcome({ kind: "done", action });
      setAsking(null);
      await onChanged();
    } catch (err: unknown) {
      const blocking = blockingViolations(err);
      if (blocking.length) setOutcome({ kind: "blocked", violations: blocking });
      else if (err instanceof ApiError && err.code === "report_conflict") {
        setOutcome({ kind: "error", message: t("report.conflict") });
        await onChanged();
      } else if (err instanceof ApiError && err.status === 403 && err.code !== "csrf_failed")
        setOutcome({ kind: "error", message: t("error.forbidden") });
      else
        setOutcome({
          kind: "error",
          message: t("error.actionFailed", { message: err instanceof Error ? err.message : String(err) }),
        });
    } finally {
      setBusy(null);
    }
  };

  const button = (action: Transition, props: { variant?: string; color?: string } = {}) => (
    <Button
      key={action}
      loading={busy === action}
      disabled={busy !== null && busy !== action}
      onClick={() => {
        if (action === "return" || action === "unlock") return setAsking(action);
        const empty = action === "submit" ? emptyElements() : [];
        if (empty.length > 0) return setBlanks(empty);
        return act(action);
      }}
      {...props}
    >
      {t(`report.${action}`)}
    </Button>
  );
  const actions = [
    isReporter && (report.status === "draft" || report.status === "returned") && button("submit"),
    isReporter && report.status === "submitted" && button("withdraw", { variant: "default" }),
    isApprover && report.status === "submitted" && button("approve", { color: "green" }),
    isApprover && report.status === "submitted" && button("return", { variant: "default", color: "orange" }),
    isApprover && report.status === "approved" && button("unlock", { variant: "default" }),
  ].filter(Boolean);
  const problems = violations.length;
  // A refusal lists the checks that failed then; each one fixed since drops out, and the notice with the last.
  const stillBlocking =
    outcome?.kind === "blocked"
      ? outcome.violations.filter((b) =>
          violations.some((v) => v.code === b.code && v.elements.join() === b.elements.join()),
        )
      : [];

  return (
    <Paper withBorder p="md" component="section" aria-label={t("report.label")}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={6} miw={0}>
            <Group gap="xs" wrap="wrap">
              <Badge size="lg" variant="light" color={statusColors[report.status]}>
                {statusLabel(report.status)}
              </Badge>
              <Text size="sm" fw={600} c={isOverdue ? "red.9" : undefined}>
                {t("report.deadline", { date: formatDay(entry.period.deadline) })}
                {isOverdue && ` (${t("report.overdue")})`}
              </Text>
            </Group>
            {report.submittedAt && (
              <Text size="sm">
                {t("report.submitted", {
                  at: formatDateTime(report.submittedAt),
                  who: who(report.submittedBy, myId, report.submittedByName),
                })}
              </Text>
            )}
            {report.decidedAt && (
              <Text size="sm">
                {t("report.decided", {
                  at: formatDateTime(report.decidedAt),
                  who: who(report.decidedBy, myId, report.decidedByName),
                })}
              </Text>
            )}
            {problems > 0 && (
              <a href="#checks" className={classes.number}>
                {t("checks.count", { count: problems })}
              </a>
            )}
          </Stack>
          {actions.length > 0 && (
            <Group gap="xs" wrap="wrap">
              {actions}
            </Group>
          )}
        </Group>
        {report.status === "returned" && report.returnReason && (
          <Alert color="orange" variant="light" p="xs">
            <Text size="sm">{t("report.returnReason", { reason: report.returnReason })}</Text>
          </Alert>
        )}
        <div role="status" aria-live="polite">
          {outcome?.kind === "done" && (
            <Text size="sm" c="green.9" fw={600}>
              {t(`report.done.${outcome.action}`)}
            </Text>
          )}
        </div>
        {outcome?.kind === "error" && (
          <Alert color="red" variant="light" role="alert" p="xs">
            <Text size="sm">{outcome.message}</Text>
          </Alert>
        )}
        {stillBlocking.length > 0 && (
          <Alert color="red" variant="light" role="alert" title={t("report.blockedTitle")}>
            <ul className={classes.plainList}>
              {stillBlocking.map((v) => (
                <li key={v.code}>
                  <Text size="sm">{violationMessage(v)}</Text>
                  <Group gap={4}>
                    {v.elements.map((code) => (
                      <Button
                        key={code}
                        variant="subtle"
                        size="compact-xs"
                        onClick={() => document.getElementById(fieldId(code))?.focus()}
                      >
                        {t("checks.goTo", { name: nameOf(code) })}
                      </Button>
                    ))}
                  </Group>
                </li>
              ))}
            </ul>
          </Alert>
        )}
      </Stack>
      {asking !== null && (
        <Suspense fallback={null}>
          <ReasonDialog
            action={asking}
            busy={busy !== null}
            onCancel={() => setAsking(null)}
            onConfirm={(reason) => asking && act(asking, reason)}
          />
        </Suspense>
      )}
      {blanks !== null && (
        <Suspense fallback={null}>
          <BlanksDialog
            names={blanks.map(nameOf)}
            onBack={() => setBlanks(null)}
            onSend={() => {
              setBlanks(null);
              void act("submit");
            }}
          />
        </Suspense>
      )}
    </Paper>
  );
}

/** An element of the form, by code. */
export function findElement(entry: Entry, code: string) {
  return entry.form.sections.flatMap((s) => s.elements).find((e) => e.code === code);
}
