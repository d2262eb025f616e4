import { Checkbox, Group, Select, Stack, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { type ProposalStatus, proposalStatuses, proposalsQuery } from "./api.ts";
import { ProposalTable } from "./lists.tsx";
import { SessionsTabs } from "./parts.tsx";
import { useSessionsText } from "./use-sessions-text.ts";

export const Route = createLazyRoute("/sessions/proposals")({ component: ProposalsPage });
const routeApi = getRouteApi("/sessions/proposals");

/** /sessions/proposals?status&overdue: proposals the reader raised or answers; overdue: past their answer date. */
function ProposalsPage() {
  const { t } = useSessionsText();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const list = useQuery(proposalsQuery({ status: search.status, overdue: search.overdue }));
  useEffect(() => {
    document.title = `${t("proposals.title")} — Grassroots`;
  }, [t]);
  return (
    <Stack gap="md">
      <Title order={1}>{t("proposals.title")}</Title>
      <SessionsTabs />
      <Group gap="md" align="end" wrap="wrap">
        <Select
          label={t("proposals.filterStatus")}
          data={[
            { value: "", label: t("proposals.allStatuses") },
            ...proposalStatuses.map((s) => ({ value: s, label: t(`proposalStatus.${s}`) })),
          ]}
          value={search.status ?? ""}
          onChange={(v) =>
            navigate({
              search: (prev) => ({ ...prev, status: (v || undefined) as ProposalStatus | undefined }),
              replace: true,
            })
          }
          allowDeselect={false}
          w={220}
        />
        <Checkbox
          label={t("proposals.overdueOnly")}
          checked={search.overdue === "true"}
          onChange={(e) =>
            navigate({
              search: (prev) => ({ ...prev, overdue: e.currentTarget.checked ? "true" : undefined }),
              replace: true,
            })
          }
        />
      </Group>
      {list.isPending && <LoadingState />}
      {list.isError && <ErrorState error={list.error} onRetry={() => list.refetch()} />}
      {list.data && <ProposalTable items={list.data.items} caption={t("proposals.caption")} />}
    </Stack>
  );
}
