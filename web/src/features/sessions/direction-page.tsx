import {
  Alert,
  Anchor,
  Button,
  FileInput,
  Group,
  NumberInput,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { fieldErrors } from "../../api/client.ts";
import common from "../../components/common.module.css";
import { DayInput } from "../../components/day-input.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import {
  attachEvidence,
  canManageSessions,
  type DirectionDetail,
  decideExtension,
  directionQuery,
  reportProgress,
  requestExtension,
  sessionKeys,
} from "./api.ts";
import { DirectionCreateForm } from "./create-forms.tsx";
import { DirectionTable } from "./lists.tsx";
import { IllustrativeMark, ProgressBar, SessionsTabs, StatusBadge } from "./parts.tsx";
import classes from "./sessions.module.css";
import { useSessionsText } from "./use-sessions-text.ts";

export const Route = createLazyRoute("/sessions/directions/$id")({ component: DirectionPage });
const routeApi = getRouteApi("/sessions/directions/$id");

/** /sessions/directions/$id: a direction, its sub-tasks, progress reports with evidence, and extension requests. */
function DirectionPage() {
  const { id } = routeApi.useParams();
  const direction = useQuery(directionQuery(Number(id)));
  if (direction.isPending) return <LoadingState />;
  if (direction.isError) return <ErrorState error={direction.error} onRetry={() => direction.refetch()} />;
  return <DirectionDetails direction={direction.data} />;
}

function DirectionDetails({ direction: d }: { direction: DirectionDetail }) {
  const { t, day, percent } = useSessionsText();
  const me = useQuery(meQuery());
  const [addingSubTask, setAddingSubTask] = useState(false);
  const isOpen = d.status === "in_progress" || d.status === "overdue";
  useEffect(() => {
    document.title = `${t("direction.heading", { id: d.id })} — Grassroots`;
  }, [t, d.id]);
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <AnchorLink to="/sessions/directions" size="sm">
          {t("direction.back")}
        </AnchorLink>
        <Title order={1} size="h2">
          {t("direction.heading", { id: d.id })}
        </Title>
        <Group gap="xs">
          <StatusBadge status={d.status} />
          <IllustrativeMark show={d.isIllustrative} />
        </Group>
        <SessionsTabs />
      </Stack>
      <Text size="lg" className={classes.prewrap}>
        {d.content}
      </Text>
      <dl className={common.definitions}>
        <dt>{t("direction.source")}</dt>
        <dd>
          {t("direction.sourceValue", {
            body: d.source.body,
            number: d.source.number,
            date: day(d.source.date),
          })}
        </dd>
        <dt>{t("direction.lead")}</dt>
        <dd>
          <AnchorLink to="/units/$code" params={{ code: d.leadUnit.code }}>
            {d.leadUnit.name}
          </AnchorLink>
        </dd>
        {d.cooperatingUnits.length > 0 && (
          <>
            <dt>{t("direction.cooperating")}</dt>
            <dd>{d.cooperatingUnits.map((u) => u.name).join(", ")}</dd>
          </>
        )}
        <dt>{t("direction.due")}</dt>
        <dd>
          {day(d.effectiveDue)} {d.extendedDue && t("direction.extendedFrom", { date: day(d.dueDate) })}
        </dd>
        {d.completedOn && (
          <>
            <dt>{t("direction.completedOn")}</dt>
            <dd>{day(d.completedOn)}</dd>
          </>
        )}
        <dt>{t("direction.priority")}</dt>
        <dd>{t(`priority.${d.priority}`)}</dd>
        <dt>{t("direction.progress")}</dt>
        <dd>
          <ProgressBar value={d.progress} />
        </dd>
      </dl>
      {(d.subTasks.length > 0 ||
        (canManageSessions(me.data?.user?.role) && d.parentId === null && d.reports.length === 0)) && (
        <Stack gap="xs" component="section">
          <Group justify="space-between">
            <Title order={2} size="h3">
              {t("direction.subTasks")}
            </Title>
            {canManageSessions(me.data?.user?.role) &&
              d.parentId === null &&
              d.reports.length === 0 &&
              !addingSubTask && (
                <Button variant="light" onClick={() => setAddingSubTask(true)}>
                  {t("direction.addSubTask")}
                </Button>
              )}
          </Group>
          {addingSubTask && <DirectionCreateForm parent={d} onDone={() => setAddingSubTask(false)} />}
          {d.subTasks.length > 0 && (
            <>
              <DirectionTable items={d.subTasks} caption={t("direction.subTasks")} />
              <Text size="sm" c="dimmed">
                {d.subTasks
                  .map((s) => `${t("direction.weightValue", { weight: s.weight })}: ${percent(s.progress)}`)
                  .join(" · ")}
              </Text>
            </>
          )}
        </Stack>
      )}
      {d.can.report && isOpen && <ReportForm direction={d} />}
      <Stack gap="xs" component="section" aria-labelledby="reports-heading">
        <Title order={2} size="h3" id="reports-heading">
          {t("direction.reports")}
        </Title>
        {d.reports.length === 0 ? (
          <Text>{t("direction.noReports")}</Text>
        ) : (
          <Stack gap="xs">
            {d.reports.map((r) => (
              <Paper key={r.id} className={classes.card}>
                <Text fw={700}>
                  {t("direction.reportedOn", { date: day(r.reportedOn), percent: percent(r.percent) })}
                </Text>
                <Text className={classes.prewrap}>{r.narrative}</Text>
                {r.reason && (
                  <Text size="sm" c="orange.9">
                    {t("direction.reasonLabel", { reason: r.reason })}
                  </Text>
                )}
                {r.attachments.length > 0 && (
                  <Group gap="xs" mt={4}>
                    <Text size="sm" fw={600}>
                      {t("direction.evidence")}:
                    </Text>
                    {r.attachments.map((a) => (
                      <Anchor
                        key={a.id}
                        href={`/api/v1/attachments/${a.id}`}
                        size="sm"
                        title={`SHA-256 ${a.sha256}`}
                      >
                        {a.fileName}
                      </Anchor>
                    ))}
                  </Group>
                )}
              </Paper>
            ))}
          </Stack>
        )}
      </Stack>
      <Extensions direction={d} isOpen={isOpen} />
    </Stack>
  );
}

function ReportForm({ direction: d }: { direction: DirectionDetail }) {
  const { t } = useSessionsText();
  const queryClient = useQueryClient();
  const [percentValue, setPercentValue] = useState<number | string>(d.progress);
  const [narrative, setNarrative] = useState("");
  const [reason, setReason] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const save = useMutation({
    mutationFn: async () => {
      const result = await reportProgress(d.id, {
        expectedVersion: d.version,
        percent: typeof percentValue === "number" ? percentValue : Number(percentValue),
        narrative,
        ...(reason.trim() ? { reason } : {}),
      });
      for (const file of files) await attachEvidence(result.reportId, file);
      return result;
    },
    onSuccess: async () => {
      setNarrative("");
      setReason("");
      setFiles([]);
      await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
    },
  });
  const errors = fieldErrors(save.error);
  const goesDown = typeof percentValue === "number" && percentValue < d.progress;
  return (
    <Paper className={classes.card} component="section" aria-labelledby="report-heading">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h3" id="report-heading">
            {t("direction.report")}
          </Title>
          <NumberInput
            label={t("direction.percent")}
            value={percentValue}
            onChange={setPercentValue}
            min={0}
            max={100}
            clampBehavior="none"
            maw={200}
            error={errors.find((e) => e.field === "percent")?.message}
          />
          <Textarea
            label={t("direction.narrative")}
            required
            autosize
            minRows={2}
            value={narrative}
            onChange={(e) => setNarrative(e.currentTarget.value)}
          />
          {goesDown && (
            <Textarea
              label={t("direction.reason")}
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={errors.find((e) => e.field === "reason")?.message}
            />
          )}
          <FileInput
            label={t("direction.files")}
            multiple
            clearable
            value={files}
            onChange={setFiles}
            accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.txt"
          />
          {save.isError && (
            <Alert color="red" role="alert">
              {save.error.message}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t("direction.submitReport")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Extensions({ direction: d, isOpen }: { direction: DirectionDetail; isOpen: boolean }) {
  const { t, day } = useSessionsText();
  const queryClient = useQueryClient();
  const [requestedDue, setRequestedDue] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const pending = d.extensions.find((e) => e.status === "pending");
  const ask = useMutation({
    mutationFn: () => requestExtension(d.id, { requestedDue: requestedDue ?? "", reason }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
  const decide = useMutation({
    mutationFn: (decision: "approved" | "refused") =>
      decideExtension(pending?.id ?? 0, { decision, ...(note.trim() ? { note } : {}) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
  return (
    <Stack gap="xs" component="section" aria-labelledby="extensions-heading">
      <Title order={2} size="h3" id="extensions-heading">
        {t("direction.extensions")}
      </Title>
      {d.extensions.length === 0 ? (
        <Text>{t("direction.noExtensions")}</Text>
      ) : (
        <Stack gap={4} component="ul" pl="md" m={0}>
          {d.extensions.map((e) => (
            <Text component="li" key={e.id}>
              {t("direction.extensionLine", {
                date: day(e.requestedDue),
                on: day(e.requestedOn),
                reason: e.reason,
              })}{" "}
              — <b>{t(`direction.extensionStatus.${e.status}`)}</b>
              {e.decisionNote ? ` (${e.decisionNote})` : ""}
            </Text>
          ))}
        </Stack>
      )}
      {pending && d.can.decide && (
        <Paper className={classes.card}>
          <Stack gap="xs">
            <Textarea
              label={t("direction.decisionNote")}
              autosize
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Group gap="xs">
              <Button onClick={() => decide.mutate("approved")} loading={decide.isPending}>
                {t("direction.approve")}
              </Button>
              <Button variant="default" onClick={() => decide.mutate("refused")} loading={decide.isPending}>
                {t("direction.refuse")}
              </Button>
            </Group>
            {decide.isError && (
              <Alert color="red" role="alert">
                {decide.error.message}
              </Alert>
            )}
          </Stack>
        </Paper>
      )}
      {!pending && isOpen && d.can.report && (
        <Paper className={classes.card}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              ask.mutate();
            }}
          >
            <Stack gap="xs">
              <Title order={3} size="h4">
                {t("direction.requestExtension")}
              </Title>
              <DayInput label={t("direction.requestedDue")} value={requestedDue} onChange={setRequestedDue} />
              <Textarea
                label={t("direction.extensionReason")}
                required
                autosize
                minRows={2}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
              />
              {ask.isError && (
                <Alert color="red" role="alert">
                  {ask.error.message}
                </Alert>
              )}
              <Group>
                <Button type="submit" variant="light" loading={ask.isPending}>
                  {t("direction.submitExtension")}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
    </Stack>
  );
}
