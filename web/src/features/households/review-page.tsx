import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import {
  agreeAll,
  importSurveys,
  type ReviewView,
  reviewQuery,
  surveysQuery,
  transitionReview,
} from "./api.ts";
import { Problems } from "./households-page.tsx";
import "./mantine-styles.ts";
import { MeetingResults } from "./meeting-results.tsx";
import { useHouseholdsText } from "./use-households-text.ts";

export const Route = createLazyRoute("/households/reviews/$id")({ component: ReviewPage });
const routeApi = getRouteApi("/households/reviews/$id");

/** /households/reviews/:id — one commune's review of a year: survey, village meeting, approval, the signed list. */
function ReviewPage() {
  const { t } = useHouseholdsText();
  const id = Number(routeApi.useParams().id);
  const review = useQuery(reviewQuery(id));
  useEffect(() => {
    if (review.data) document.title = `${t("review.title", { year: review.data.year })} — Grassroots`;
  }, [t, review.data]);
  if (review.isPending) return <LoadingState />;
  if (review.isError) return <ErrorState error={review.error} onRetry={() => review.refetch()} />;
  return <Review review={review.data} />;
}

function Review({ review }: { review: ReviewView }) {
  const { t, number, rate, day, language } = useHouseholdsText();
  const me = useQuery(meQuery());
  const role = me.data?.user?.role;
  const canAct = role === "commune_officer" || role === "system_admin";
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["poverty-review", review.id] });
  const [file, setFile] = useState<File | null>(null);
  const [reason, setReason] = useState("");
  const [exportReason, setExportReason] = useState("");
  const upload = useMutation({ mutationFn: (f: File) => importSurveys(review.id, f), onSuccess: refresh });
  const agree = useMutation({ mutationFn: () => agreeAll(review.id), onSuccess: refresh });
  const move = useMutation({
    mutationFn: (action: "submit" | "approve" | "reopen") =>
      transitionReview(review.id, action, review.version, reason || undefined),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const { totals } = review;
  const open = review.status === "surveying";
  return (
    <Stack gap="lg">
      <AnchorLink to="/households" search={{ commune: review.communeCode, tab: "reviews" }}>
        {t("back")}
      </AnchorLink>
      <div>
        <Group gap="sm">
          <Title order={1}>{t("review.title", { year: review.year })}</Title>
          <Badge
            size="lg"
            variant="light"
            color={
              review.status === "approved"
                ? "green"
                : review.status === "awaiting_approval"
                  ? "orange"
                  : "blue"
            }
          >
            {t(`status.${review.status}`)}
          </Badge>
        </Group>
        {review.standard && (
          <Text c="dimmed" size="sm">
            {t("review.standard", {
              name: language === "en" ? review.standard.nameEn : review.standard.nameVi,
            })}
            .{" "}
            {t("review.threshold", {
              area: t(`review.${review.area}`),
              amount: number(review.standard.threshold),
            })}
            . {t("review.asOf", { date: day(review.asOf) })}
          </Text>
        )}
      </div>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure id="total" label={t("reviews.total")} value={number(totals.total)} />
        <Figure id="poor" label={t("reviews.poor")} value={number(totals.poor)} />
        <Figure id="nearPoor" label={t("reviews.nearPoor")} value={number(totals.nearPoor)} />
        <Figure id="rate" label={t("reviews.rate")} value={rate(totals.poor, totals.total)} />
      </SimpleGrid>
      {(totals.unsurveyed > 0 || totals.noMeetingResult > 0) && (
        <Text size="sm" c="orange.8">
          {t("review.unsurveyed", { count: totals.unsurveyed })} ·{" "}
          {t("review.noMeeting", { count: totals.noMeetingResult })}
        </Text>
      )}
      {review.status === "approved" && (
        <Alert color="green">
          {t("review.approvedNote")}{" "}
          <AnchorLink
            to="/dashboard/units/$code"
            params={{ code: review.communeCode }}
            search={{ year: String(review.year), indicator: "POVERTY_RATE" }}
          >
            {t("review.seeDashboard")}
          </AnchorLink>
        </Alert>
      )}
      {canAct && (
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t("review.steps")}
            </Title>
            {open && (
              <>
                <Anchor href={`/api/v1/poverty-reviews/${review.id}/survey-sheet`}>
                  {t("review.surveySheet")}
                </Anchor>
                <Group align="end">
                  <FileInput
                    label={t("review.uploadSurvey")}
                    accept=".xlsx"
                    value={file}
                    onChange={setFile}
                    miw={220}
                  />
                  <Button
                    disabled={!file}
                    loading={upload.isPending}
                    onClick={() => file && upload.mutate(file)}
                  >
                    {t("import")}
                  </Button>
                </Group>
                {upload.data && (
                  <Alert color="green">{t("review.surveyed", { count: upload.data.households })}</Alert>
                )}
                {upload.isError && <Problems error={upload.error} />}
                <Group>
                  <Button
                    variant="light"
                    loading={agree.isPending}
                    onClick={() => agree.mutate()}
                    disabled={totals.unsurveyed === totals.total}
                  >
                    {t("review.agreeAll")}
                  </Button>
                  <Button loading={move.isPending} onClick={() => move.mutate("submit")}>
                    {t("review.submit")}
                  </Button>
                </Group>
              </>
            )}
            {review.status === "awaiting_approval" && (
              <Button color="green" loading={move.isPending} onClick={() => move.mutate("approve")}>
                {t("review.approve")}
              </Button>
            )}
            {review.status !== "surveying" && (
              <Group align="end">
                <TextInput
                  label={t("review.reopenReason")}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  miw={240}
                />
                <Button
                  variant="default"
                  disabled={reason.trim().length === 0}
                  onClick={() => move.mutate("reopen")}
                >
                  {t("review.reopen")}
                </Button>
              </Group>
            )}
            {move.isError && <ErrorState error={move.error} />}
          </Stack>
        </Paper>
      )}
      <Villages review={review} />
      {role && role !== "viewer" && <MeetingResults reviewId={review.id} isOpen={open} canAct={canAct} />}
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t("review.export")}
          </Title>
          <Group align="end">
            <TextInput
              label={t("review.exportReason")}
              value={exportReason}
              onChange={(e) => setExportReason(e.currentTarget.value)}
              miw={240}
            />
            <Button
              component="a"
              variant="default"
              href={`/api/v1/poverty-reviews/${review.id}/export?reason=${encodeURIComponent(exportReason)}`}
              disabled={exportReason.trim().length < 3}
            >
              {t("review.download")}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <PoorList id={review.id} />
    </Stack>
  );
}

function Figure({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={24} fw={700} style={{ whiteSpace: "nowrap" }} data-testid={`figure-${id}`}>
        {value}
      </Text>
    </Paper>
  );
}

function Villages({ review }: { review: ReviewView }) {
  const { t, number, rate } = useHouseholdsText();
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("village")}</Table.Th>
            <Table.Th ta="right">{t("reviews.poor")}</Table.Th>
            <Table.Th ta="right">{t("reviews.nearPoor")}</Table.Th>
            <Table.Th ta="right">{t("reviews.rate")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {review.villages.map((v) => (
            <Table.Tr key={v.villageCode}>
              <Table.Td>{v.villageName ?? v.villageCode}</Table.Td>
              <Table.Td ta="right">
                {number(v.poor)} / {number(v.total)}
              </Table.Td>
              <Table.Td ta="right">{number(v.nearPoor)}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
                {rate(v.poor, v.total)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PoorList({ id }: { id: number }) {
  const { t, number } = useHouseholdsText();
  const poor = useQuery(surveysQuery(id, "poor"));
  const [isAll, setAll] = useState(false);
  if (!poor.data || poor.data.items.length === 0) return null;
  const shown = isAll ? poor.data.items : poor.data.items.slice(0, 20);
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t("review.households")}
      </Title>
      <Table.ScrollContainer minWidth={320}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("head")}</Table.Th>
              <Table.Th ta="right">{t("review.incomePerPerson")}</Table.Th>
              <Table.Th ta="right">{t("review.lacking")}</Table.Th>
              <Table.Th>{t("review.movement")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((s) => (
              <Table.Tr key={s.householdId}>
                <Table.Td>
                  {s.headName}
                  <Text size="xs" c="dimmed">
                    {s.villageCode}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {s.incomePerPersonMonth === null ? "—" : number(s.incomePerPersonMonth)}
                </Table.Td>
                <Table.Td ta="right">
                  {s.explanation ? `${s.explanation.lackingCount}/${s.explanation.poorMinLacking}` : "—"}
                </Table.Td>
                <Table.Td>{s.movement ? t(`movements.${s.movement}`) : ""}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!isAll && poor.data.items.length > shown.length && (
        <Button variant="subtle" onClick={() => setAll(true)} w="fit-content">
          {t("review.showAll", { count: poor.data.items.length })}
        </Button>
      )}
    </Stack>
  );
}
