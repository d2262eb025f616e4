import { Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { directionsQuery, proposalsQuery } from "./api.ts";
import { DirectionTable, ProposalTable } from "./lists.tsx";
import { useSessionsText } from "./use-sessions-text.ts";

/** On a unit's page, for a signed-in reader: the directions it leads that are still open, and its unanswered proposals. */
export function UnitSessionsSection({ code }: { code: string }) {
  const { t, day } = useSessionsText();
  const directions = useQuery(directionsQuery({ unit: code, open: "true" }));
  const proposals = useQuery(proposalsQuery({ unit: code, open: "true" }));
  return (
    <Stack gap="sm" component="section" aria-labelledby="unit-sessions-heading">
      <Title order={2} size="h3" id="unit-sessions-heading">
        {t("unitSection.title")}
      </Title>
      <Title order={3} size="h4">
        {t("unitSection.directions")}
      </Title>
      {directions.data &&
        (directions.data.items.length === 0 ? (
          <Text>{t("unitSection.none")}</Text>
        ) : (
          <DirectionTable
            items={directions.data.items}
            caption={t("directions.caption", { date: day(directions.data.today) })}
          />
        ))}
      <Title order={3} size="h4">
        {t("unitSection.proposals")}
      </Title>
      {proposals.data &&
        (proposals.data.items.length === 0 ? (
          <Text>{t("unitSection.none")}</Text>
        ) : (
          <ProposalTable items={proposals.data.items} caption={t("unitSection.proposals")} />
        ))}
    </Stack>
  );
}
