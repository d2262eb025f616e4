import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  List,
  NumberInput,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import {
  countsQuery,
  cyclesQuery,
  householdsQuery,
  importHouseholds,
  importProblems,
  reviewsQuery,
  startReview,
} from "./api.ts";
import "./mantine-styles.ts";
import { RegisterHousehold } from "./register-household.tsx";
import { duplicatePairsQuery } from "./registry-api.ts";
import { SupportLinks } from "./support-links.tsx";
import { useHouseholdsText } from "./use-households-text.ts";
import { useRegistryText } from "./use-registry-text.ts";

export const Route = createLazyRoute("/households")({ component: HouseholdsPage });
const routeApi = getRouteApi("/households");

/** /households?commune&tab: a commune's register, its yearly reviews and its support cycles. */
function HouseholdsPage() {
  const { t } = useHouseholdsText();
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const ownCommune = user?.scope?.level === "commune" ? user.scope.code : undefined;
  const commune = search.commune ?? ownCommune;
  const tab = search.tab ?? "registry";

  useEffect(() => {
    document.title = `${t("title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t("title")}</Title>
        <Text c="dimmed">{t("intro")}</Text>
        <StandardsLink />
      </div>
      <SupportLinks here="households" unit={commune ?? user?.scope?.code} />
      {!ownCommune && (
        <TextInput
          label={t("commune")}
          description={t("communeHint")}
          defaultValue={commune ?? ""}
          maw={240}
          onBlur={(e) =>
            navigate({ search: (s) => ({ ...s, commune: e.currentTarget.value.trim() || undefined }) })
          }
        />
      )}
      {commune && <Counts commune={commune} />}
      {commune && (
        <Tabs
          value={tab}
          onChange={(v) => navigate({ search: (s) => ({ ...s, tab: (v as typeof tab) ?? "registry" }) })}
        >
          <Tabs.List>
            <Tabs.Tab value="registry">{t("tabs.registry")}</Tabs.Tab>
            <Tabs.Tab value="reviews">{t("tabs.reviews")}</Tabs.Tab>
            <Tabs.Tab value="support">{t("tabs.support")}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="registry" pt="md">
            {user?.role === "viewer" ? (
              <Alert>{t("viewerNote")}</Alert>
            ) : (
              <Registry
                commune={commune}
                canWrite={user?.role === "commune_officer" || user?.role === "system_admin"}
              />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="reviews" pt="md">
            <Reviews
              commune={commune}
              canStart={user?.role === "commune_officer" || user?.role === "system_admin"}
            />
          </Tabs.Panel>
          <Tabs.Panel value="support" pt="md">
            <Cycles commune={commune} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

function Counts({ commune }: { commune: string }) {
  const { t, number } = useHouseholdsText();
  const counts = useQuery(countsQuery(commune));
  if (!counts.data) return null;
  return (
    <Text fw={500}>
      {t("counts", { households: number(counts.data.households), members: number(counts.data.members) })}
    </Text>
  );
}

function Registry({ commune, canWrite }: { commune: string; canWrite: boolean }) {
  const { t } = useHouseholdsText();
  const [q, setQ] = useState("");
  const households = useQuery(householdsQuery(commune, q));
  return (
    <Stack gap="md">
      {canWrite && <RegisterHousehold commune={commune} />}
      {canWrite && <ImportPanel />}
      {canWrite && <Duplicates commune={commune} />}
      <TextInput label={t("search")} value={q} onChange={(e) => setQ(e.currentTarget.value)} size="md" />
      {households.isPending && <LoadingState />}
      {households.isError && <ErrorState error={households.error} onRetry={() => households.refetch()} />}
      {households.data &&
        (households.data.items.length === 0 ? (
          <Text c="dimmed">{t("noHouseholds")}</Text>
        ) : (
          <Table.ScrollContainer minWidth={320}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("head")}</Table.Th>
                  <Table.Th>{t("village")}</Table.Th>
                  <Table.Th ta="right">{t("members")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {households.data.items.map((h) => (
                  <Table.Tr key={h.id}>
                    <Table.Td>
                      <AnchorLink to="/households/$id" params={{ id: String(h.id) }}>
                        {h.headName}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {h.code}
                      </Text>
                    </Table.Td>
                    <Table.Td>{h.villageName ?? h.villageCode}</Table.Td>
                    <Table.Td ta="right">{h.members}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ))}
    </Stack>
  );
}

/** Shows a refused import's rows, each with its column and message in the reader's language. */
export function Problems({ error }: { error: unknown }) {
  const { t, language } = useHouseholdsText();
  const problems = importProblems(error);
  if (problems.length === 0) return <ErrorState error={error} />;
  return (
    <Alert color="red" title={t("problems")}>
      <List size="sm">
        {problems.slice(0, 50).map((p) => (
          <List.Item key={`${p.row}-${p.column}`}>
            {t("problem", { row: p.row, column: p.column, message: p.message[language] })}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** Suspected duplicates await a person's decision on their own page (keep both, merge, move a member). */
function Duplicates({ commune }: { commune: string }) {
  const { t } = useRegistryText();
  const pairs = useQuery(duplicatePairsQuery(commune));
  if (!pairs.data || pairs.data.items.length === 0) return null;
  return (
    <Alert color="orange">
      <AnchorLink to="/households/duplicates" search={{ commune }} fw={600}>
        {t("duplicates.link", { count: pairs.data.items.length })}
      </AnchorLink>
    </Alert>
  );
}

function ImportPanel() {
  const { t } = useHouseholdsText();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: (f: File) => importHouseholds(f),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t("importTitle")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("importHint")}
        </Text>
        <Anchor href="/api/v1/household-files/template" size="sm">
          {t("template")}
        </Anchor>
        <Group align="end">
          <FileInput label={t("chooseFile")} accept=".xlsx" value={file} onChange={setFile} miw={220} />
          <Button disabled={!file} loading={run.isPending} onClick={() => file && run.mutate(file)}>
            {t("import")}
          </Button>
        </Group>
        {run.data && (
          <Alert color="green">
            {t("imported", run.data)}{" "}
            {run.data.duplicatesQueued > 0 && t("duplicatesQueued", { count: run.data.duplicatesQueued })}
          </Alert>
        )}
        {run.isError && <Problems error={run.error} />}
      </Stack>
    </Paper>
  );
}

function Reviews({ commune, canStart }: { commune: string; canStart: boolean }) {
  const { t, number, rate } = useHouseholdsText();
  const reviews = useQuery(reviewsQuery(commune));
  const [year, setYear] = useState<number>(new Date().getFullYear());
  const go = useNavigate();
  const start = useMutation({
    mutationFn: () => startReview(commune, year),
    onSuccess: (r) => go({ to: "/households/reviews/$id", params: { id: String(r.id) } }),
  });
  return (
    <Stack gap="md">
      {canStart && (
        <Group align="end">
          <NumberInput
            label={t("reviews.year")}
            value={year}
            onChange={(v) => setYear(Number(v))}
            min={2022}
            max={2100}
            w={120}
          />
          <Button loading={start.isPending} onClick={() => start.mutate()}>
            {t("reviews.start")}
          </Button>
        </Group>
      )}
      {start.isError && <ErrorState error={start.error} />}
      {reviews.isPending && <LoadingState />}
      {reviews.data && reviews.data.items.length === 0 && <Text c="dimmed">{t("reviews.none")}</Text>}
      {reviews.data && reviews.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={320}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("reviews.year")}</Table.Th>
                <Table.Th>{t("reviews.status")}</Table.Th>
                <Table.Th ta="right">{t("reviews.poor")}</Table.Th>
                <Table.Th ta="right">{t("reviews.rate")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reviews.data.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <AnchorLink to="/households/reviews/$id" params={{ id: String(r.id) }}>
                      {r.year}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={
                        r.status === "approved"
                          ? "green"
                          : r.status === "awaiting_approval"
                            ? "orange"
                            : "blue"
                      }
                    >
                      {t(`status.${r.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">
                    {number(r.poor)} / {number(r.total)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
                    {rate(r.poor, r.total)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function Cycles({ commune }: { commune: string }) {
  const { t, day } = useHouseholdsText();
  const cycles = useQuery(cyclesQuery(commune));
  if (cycles.isPending) return <LoadingState />;
  if (cycles.isError) return <ErrorState error={cycles.error} />;
  if (cycles.data.items.length === 0) return <Text c="dimmed">{t("cycles.none")}</Text>;
  return (
    <Stack gap="sm">
      {cycles.data.items.map((c) => (
        <Paper key={c.id} withBorder p="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <div>
              <AnchorLink to="/households/cycles/$id" params={{ id: String(c.id) }} fw={600}>
                {c.programme.name} — {c.name}
              </AnchorLink>
              <Text size="sm" c="dimmed">
                {t("cycles.eligibility", { date: day(c.eligibilityDate) })}
              </Text>
            </div>
            <Group gap="xs">
              <Badge variant="light">{t(`status.${c.status}`)}</Badge>
              <Text size="sm">{t("cycles.listed", { delivered: c.delivered, listed: c.listed })}</Text>
            </Group>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

/** Which poverty standard applies to a year (and a province's own, set by its administrator). */
function StandardsLink() {
  const { t } = useRegistryText();
  return (
    <AnchorLink to="/households/standards" size="sm">
      {t("standards.link")}
    </AnchorLink>
  );
}
