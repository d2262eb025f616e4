import { Alert, Badge, Button, Group, type MantineColor, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute } from "@tanstack/react-router";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { meQuery } from "../../api/auth.ts";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { formatDay } from "../../lib/dates.ts";
import { notificationKeys } from "../notifications/api.ts";
import { type DueItem, dueWorkQuery, homeKeys, runDueAction } from "./api.ts";
import classes from "./home.module.css";
import { LandingPage } from "./landing-page.tsx";
import { PathButton, PathLink } from "./path-link.tsx";

export const Route = createLazyRoute("/")({ component: HomeOrLanding });

/** /: the signed-in person's "Việc cần làm"; for a visitor, what Grassroots is and how to sign in. */
function HomeOrLanding() {
  const me = useQuery(meQuery());
  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  return me.data.user ? <HomePage /> : <LandingPage />;
}

export const stateColors: Record<DueItem["state"], MantineColor> = {
  overdue: "red",
  returned: "orange",
  awaiting_approval: "violet",
  awaiting_answer: "grape",
  due: "blue",
};

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

function HomePage() {
  const { t } = useTranslation("home");
  const work = useQuery(dueWorkQuery());

  useEffect(() => {
    document.title = `${t("title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t("title")}</Title>
        <Text c="dimmed">
          {work.data ? `${t("today", { date: formatDay(work.data.today) })} · ` : ""}
          {t("intro")}
        </Text>
      </div>
      {work.isPending && <LoadingState />}
      {work.isError && <ErrorState error={work.error} onRetry={() => work.refetch()} />}
      {work.data &&
        (work.data.items.length === 0 ? (
          <Paper withBorder p="lg">
            <Text>{t("empty")}</Text>
          </Paper>
        ) : (
          <>
            <Summary items={work.data.items} />
            <ul className={classes.list} aria-label={t("listLabel")}>
              {work.data.items.map((item) => (
                <li key={`${item.source}:${item.id}`}>
                  <DueCard item={item} today={work.data.today} />
                </li>
              ))}
            </ul>
          </>
        ))}
    </Stack>
  );
}

function Summary({ items }: { items: DueItem[] }) {
  const { t } = useTranslation("home");
  const count = (states: DueItem["state"][]) => items.filter((i) => states.includes(i.state)).length;
  const parts: Array<[string, number, MantineColor]> = [
    [t("counts.overdue", { count: count(["overdue"]) }), count(["overdue"]), "red"],
    [t("counts.returned", { count: count(["returned"]) }), count(["returned"]), "orange"],
    [
      t("counts.awaiting", { count: count(["awaiting_approval", "awaiting_answer"]) }),
      count(["awaiting_approval", "awaiting_answer"]),
      "violet",
    ],
    [t("counts.due", { count: count(["due"]) }), count(["due"]), "blue"],
  ];
  return (
    <Group gap="xs">
      {parts
        .filter(([, n]) => n > 0)
        .map(([label, , color]) => (
          <Badge key={label} color={color} variant="light" size="lg">
            {label}
          </Badge>
        ))}
    </Group>
  );
}

/** One item, whatever module it comes from: state, title (the link), unit, due date, reason, action. */
function DueCard({ item, today }: { item: DueItem; today: string }) {
  const { t, i18n } = useTranslation("home");
  const lang = i18n.language === "en" ? "en" : "vi";
  const days = item.dueDate ? daysBetween(today, item.dueDate) : null;
  const when =
    days === null
      ? t("noDue")
      : days < 0
        ? t("overdueBy", { count: -days })
        : days === 0
          ? t("dueToday")
          : t("dueIn", { count: days });
  return (
    <Paper withBorder p="md" className={classes.card} data-state={item.state}>
      <Stack gap={6}>
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Badge color={stateColors[item.state]} variant="filled">
            {t(`state.${item.state}`)}
          </Badge>
          <Text
            size="sm"
            c={item.state === "overdue" ? "red.9" : "dimmed"}
            fw={item.state === "overdue" ? 600 : 400}
          >
            {item.dueDate ? `${t("due", { date: formatDay(item.dueDate) })} · ${when}` : when}
          </Text>
        </Group>
        <PathLink href={item.link} fw={600} size="lg" className={classes.title}>
          {item.title[lang]}
        </PathLink>
        <Text size="sm" c="dimmed">
          {item.unitName}
        </Text>
        {item.reason && (
          <Text size="sm" className={classes.reason}>
            {t("reason", { reason: item.reason[lang] })}
          </Text>
        )}
        <Group gap="xs">
          <PathButton href={item.link} size="sm" variant={item.state === "overdue" ? "filled" : "light"}>
            {t("open")}
          </PathButton>
          {item.action && <ActionButton action={item.action} lang={lang} />}
        </Group>
      </Stack>
    </Paper>
  );
}

function ActionButton({ action, lang }: { action: NonNullable<DueItem["action"]>; lang: "vi" | "en" }) {
  const { t } = useTranslation("home");
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: () => runDueAction(action),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: homeKeys.dueWork });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
  return (
    <>
      <Button size="sm" variant="outline" loading={run.isPending} onClick={() => run.mutate()}>
        {action.label[lang]}
      </Button>
      {run.data && (
        <Alert color="green" variant="light" role="status" p="xs" w="100%">
          {run.data.recipients > 0
            ? t("remindDone", { recipients: run.data.recipients, units: run.data.units })
            : t("remindNone", { units: run.data.units })}
        </Alert>
      )}
      {run.isError && <ErrorState error={run.error} />}
    </>
  );
}
