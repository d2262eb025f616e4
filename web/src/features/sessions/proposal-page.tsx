import {
  Alert,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import common from "../../components/common.module.css";
import { DayInput } from "../../components/day-input.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import {
  actOnProposal,
  canManageSessions,
  type ProposalAction,
  type ProposalDetail,
  type ProposalOutcome,
  proposalOutcomes,
  proposalQuery,
  sessionKeys,
} from "./api.ts";
import { IllustrativeMark, ProposalStatusBadge, SessionsTabs } from "./parts.tsx";
import classes from "./sessions.module.css";
import { useSessionsText } from "./use-sessions-text.ts";

export const Route = createLazyRoute("/sessions/proposals/$id")({ component: ProposalPage });
const routeApi = getRouteApi("/sessions/proposals/$id");

/** /sessions/proposals/$id: a proposal, its answer (the draft only for those who answer), every step, and the next step. */
function ProposalPage() {
  const { id } = routeApi.useParams();
  const proposal = useQuery(proposalQuery(Number(id)));
  if (proposal.isPending) return <LoadingState />;
  if (proposal.isError) return <ErrorState error={proposal.error} onRetry={() => proposal.refetch()} />;
  return <ProposalDetails proposal={proposal.data} />;
}

function ProposalDetails({ proposal }: { proposal: ProposalDetail }) {
  const { t, day, number } = useSessionsText();
  const me = useQuery(meQuery());
  const canAnswer = canManageSessions(me.data?.user?.role);
  useEffect(() => {
    document.title = `${t("proposal.heading", { id: proposal.id })} — Grassroots`;
  }, [t, proposal.id]);
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <AnchorLink to="/sessions/proposals" size="sm">
          {t("proposal.back")}
        </AnchorLink>
        <Title order={1} size="h2">
          {t("proposal.heading", { id: proposal.id })}
        </Title>
        <Group gap="xs">
          <ProposalStatusBadge status={proposal.status} isOverdue={proposal.isOverdue} />
          <IllustrativeMark show={proposal.isIllustrative} />
        </Group>
        <SessionsTabs />
      </Stack>
      <Text size="lg" className={classes.prewrap}>
        {proposal.content}
      </Text>
      <dl className={common.definitions}>
        <dt>{t("proposal.unit")}</dt>
        <dd>
          <AnchorLink to="/units/$code" params={{ code: proposal.unit.code }}>
            {proposal.unit.name}
          </AnchorLink>
        </dd>
        <dt>{t("proposal.category")}</dt>
        <dd>{t(`category.${proposal.category}`)}</dd>
        {proposal.amount !== null && (
          <>
            <dt>{t("proposal.amount")}</dt>
            <dd>
              {number(proposal.amount)} {proposal.amountUnit ?? ""}
            </dd>
          </>
        )}
        <dt>{t("proposal.received")}</dt>
        <dd>{day(proposal.receivedOn)}</dd>
        <dt>{t("proposal.assignedTo")}</dt>
        <dd>{proposal.assignedTo ?? t("none")}</dd>
        <dt>{t("proposal.answerDue")}</dt>
        <dd>{day(proposal.answerDue)}</dd>
        {proposal.meetingId !== null && (
          <>
            <dt>{t("tabs.meetings")}</dt>
            <dd>
              <AnchorLink to="/sessions/meetings/$id" params={{ id: String(proposal.meetingId) }}>
                #{proposal.meetingId}
              </AnchorLink>
            </dd>
          </>
        )}
      </dl>
      <Paper className={classes.card} component="section" aria-labelledby="answer-heading">
        <Stack gap="xs">
          <Title order={2} size="h3" id="answer-heading">
            {t("proposal.answer")}
          </Title>
          {proposal.answer ? (
            <>
              <Text fw={700}>{t(`outcome.${proposal.answer.outcome}`)}</Text>
              <Text className={classes.prewrap}>{proposal.answer.text}</Text>
              <Text size="sm" c="dimmed">
                {t("proposal.publishedOn", { date: day(proposal.answer.publishedOn) })}
              </Text>
            </>
          ) : (
            <Text>{t("proposal.noAnswer")}</Text>
          )}
        </Stack>
      </Paper>
      {canAnswer && <AnswerSteps proposal={proposal} />}
      <Stack gap="xs" component="section">
        <Title order={2} size="h3">
          {t("proposal.history")}
        </Title>
        <Timeline active={proposal.history.length - 1} bulletSize={14} lineWidth={2}>
          {proposal.history.map((h) => (
            <Timeline.Item key={`${h.at}-${h.action}`} title={t(`action.${h.action}` as "action.raise")}>
              <Text size="sm">
                {formatDateTime(h.at)} · {t(`proposalStatus.${h.toStatus}`)}
              </Text>
              {h.note && (
                <Text size="sm" c="dimmed">
                  {h.action === "publish"
                    ? t(`outcome.${h.note}` as "outcome.noted")
                    : h.note.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (_, y, m, d) => `${d}/${m}/${y}`)}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
    </Stack>
  );
}

/** The province's next steps: assign with a due date, review, draft, publish, close — each only where it applies. */
function AnswerSteps({ proposal }: { proposal: ProposalDetail }) {
  const { t } = useSessionsText();
  const queryClient = useQueryClient();
  const [assignedTo, setAssignedTo] = useState(proposal.assignedTo ?? "");
  const [answerDue, setAnswerDue] = useState<string | null>(proposal.answerDue);
  const [outcome, setOutcome] = useState<ProposalOutcome | null>(proposal.draft?.outcome ?? null);
  const [answer, setAnswer] = useState(proposal.draft?.text ?? "");
  const act = useMutation({
    mutationFn: (action: ProposalAction) =>
      actOnProposal(proposal.id, {
        action,
        expectedVersion: proposal.version,
        ...(action === "assign" ? { assignedTo, ...(answerDue ? { answerDue } : {}) } : {}),
        ...(action === "draft" || action === "publish"
          ? { ...(outcome ? { outcome } : {}), ...(answer.trim() ? { answer } : {}) }
          : {}),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
    },
  });
  const s = proposal.status;
  const canAssign = s === "received" || s === "assigned";
  const canDraft = s === "assigned" || s === "under_review";
  if (!canAssign && !canDraft && s !== "answered") return null;
  return (
    <Paper className={classes.card} component="section" aria-labelledby="steps-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="steps-heading">
          {t("proposal.draft")}
        </Title>
        {canAssign && (
          <SimpleGrid cols={{ base: 1, sm: 3 }} verticalSpacing="xs">
            <TextInput
              label={t("proposal.assignedTo")}
              value={assignedTo}
              onChange={(e) => setAssignedTo(e.currentTarget.value)}
            />
            <DayInput label={t("proposal.answerDue")} value={answerDue} onChange={setAnswerDue} />
            <Group align="end">
              <Button
                variant="light"
                onClick={() => act.mutate("assign")}
                loading={act.isPending && act.variables === "assign"}
              >
                {t("proposal.assign")}
              </Button>
            </Group>
          </SimpleGrid>
        )}
        {canDraft && (
          <>
            <Select
              label={t("proposal.outcome")}
              data={proposalOutcomes.map((o) => ({ value: o, label: t(`outcome.${o}`) }))}
              value={outcome}
              onChange={(v) => setOutcome(v as ProposalOutcome | null)}
              maw={320}
            />
            <Textarea
              label={t("proposal.answerText")}
              autosize
              minRows={3}
              value={answer}
              onChange={(e) => setAnswer(e.currentTarget.value)}
            />
            <Text size="sm" c="dimmed">
              {t("proposal.publishHint")}
            </Text>
            <Group gap="xs" wrap="wrap">
              {s === "assigned" && (
                <Button variant="default" onClick={() => act.mutate("review")}>
                  {t("proposal.review")}
                </Button>
              )}
              <Button variant="light" onClick={() => act.mutate("draft")}>
                {t("proposal.saveDraft")}
              </Button>
              <Button onClick={() => act.mutate("publish")}>{t("proposal.publish")}</Button>
            </Group>
          </>
        )}
        {s === "answered" && (
          <Group>
            <Button variant="default" onClick={() => act.mutate("close")}>
              {t("proposal.close")}
            </Button>
          </Group>
        )}
        {act.isError && (
          <Alert color="red" role="alert">
            {act.error.message}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
