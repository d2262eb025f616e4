import { Badge, Group, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import { meQuery } from "../../api/auth.ts";
import { unitHistoryQuery } from "../../api/units.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import "./mantine-styles.ts";
import { CreateLocal } from "./local-standard-form.tsx";
import { type Standard, standardInForceQuery, standardsQuery } from "./registry-api.ts";
import { useHouseholdsText } from "./use-households-text.ts";
import { useRegistryText } from "./use-registry-text.ts";

export const Route = createLazyRoute("/households/standards")({ component: StandardsPage });
const routeApi = getRouteApi("/households/standards");

/**
 * /households/standards?province&year — the poverty standards: which one a province's communes are reviewed under in
 * a year (its own stricter one, else the national one), every standard that exists, and for a province
 * administrator the form that sets the province's own, starting from the national one.
 */
function StandardsPage() {
  const { t } = useRegistryText();
  const { t: ht } = useHouseholdsText();
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  // A commune's officer looks at the province their commune belongs to today.
  const commune = useQuery({
    ...unitHistoryQuery(user?.scope?.code ?? "", undefined),
    enabled: user?.scope?.level === "commune",
  });
  const ownProvince =
    user?.scope?.level === "province"
      ? user.scope.code
      : user?.scope?.level === "commune"
        ? (commune.data?.selected.parentCode ?? undefined)
        : undefined;
  const province = search.province ?? ownProvince;
  const year = Number(search.year ?? todayInVietnam().slice(0, 4));
  const canCreate = user?.role === "province_admin" || user?.role === "system_admin";
  useEffect(() => {
    document.title = `${t("standards.title")} — Grassroots`;
  }, [t]);
  return (
    <Stack gap="lg">
      <AnchorLink to="/households">{ht("back")}</AnchorLink>
      <div>
        <Title order={1}>{t("standards.title")}</Title>
        <Text c="dimmed">{t("standards.intro")}</Text>
      </div>
      <Group align="end" gap="md">
        {!ownProvince && (
          <TextInput
            label={t("standards.province")}
            description={t("standards.provinceHint")}
            defaultValue={province ?? ""}
            w={200}
            onBlur={(e) =>
              navigate({ search: (s) => ({ ...s, province: e.currentTarget.value.trim() || undefined }) })
            }
          />
        )}
        <NumberInput
          label={t("standards.year")}
          value={year}
          onChange={(v) => {
            const n = Number(v);
            if (n >= 2000 && n <= 2100) navigate({ search: (s) => ({ ...s, year: String(n) }) });
          }}
          min={2000}
          max={2100}
          allowDecimal={false}
          thousandSeparator=""
          w={120}
        />
      </Group>
      {province && <InForce year={year} province={province} />}
      {province && canCreate && <CreateLocal province={province} />}
      <StandardList province={province} />
    </Stack>
  );
}

function InForce({ year, province }: { year: number; province: string }) {
  const { t, number } = useRegistryText();
  const found = useQuery(standardInForceQuery(year, province));
  if (found.isPending) return <LoadingState />;
  if (found.isError) return <ErrorState error={found.error} />;
  const { applies, national, isLocal } = found.data;
  return (
    <Paper withBorder p="md" data-testid="standard-in-force">
      <Stack gap="xs">
        <Text>{t("standards.applies", { year })}</Text>
        <Group gap="xs">
          <Title order={2} size="h3">
            <StandardName standard={applies} />
          </Title>
          <Badge color={isLocal ? "violet" : "blue"} variant="light">
            {isLocal ? t("standards.local") : t("standards.national")}
          </Badge>
        </Group>
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
          <Figure label={t("standards.ruralPerMonth")} value={number(applies.ruralThreshold)} />
          <Figure label={t("standards.urbanPerMonth")} value={number(applies.urbanThreshold)} />
          <Figure label={t("standards.indicators")} value={String(applies.indicators.length)} />
          <Figure label={t("standards.poorMin")} value={String(applies.poorMinLacking)} />
        </SimpleGrid>
        <Text size="sm" c="dimmed">
          {t("standards.legalBasis")}: {applies.legalBasis}
        </Text>
        {isLocal && national && (
          <Text size="sm">
            {t("standards.nationalBeside", {
              rural: number(national.ruralThreshold),
              urban: number(national.urbanThreshold),
            })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="lg" style={{ whiteSpace: "nowrap" }}>
        {value}
      </Text>
    </Paper>
  );
}

function StandardName({ standard }: { standard: Standard }) {
  const { language } = useRegistryText();
  return <>{language === "en" ? standard.nameEn : standard.nameVi}</>;
}

/** Every national standard and the province's own, as cards (they read on a phone as well as on a desktop). */
function StandardList({ province }: { province: string | undefined }) {
  const { t, number } = useRegistryText();
  const list = useQuery(standardsQuery());
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} />;
  const shown = list.data.items.filter((s) => s.provinceCode === null || s.provinceCode === province);
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t("standards.list")}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        {shown.map((s) => (
          <Paper key={s.id} withBorder p="sm" data-testid={`standard-${s.code}`}>
            <Stack gap={4}>
              <Group gap="xs" justify="space-between">
                <Text fw={600}>
                  <StandardName standard={s} />
                </Text>
                <Badge variant="light" color={s.provinceCode ? "violet" : "blue"}>
                  {s.provinceCode ? t("standards.local") : t("standards.scopeNational")}
                </Badge>
              </Group>
              <Text size="sm">
                {t("standards.years")}: {s.fromYear}–{s.toYear} · {t("standards.code")}: {s.code}
              </Text>
              <Text size="sm">
                {t("standards.rural")} {number(s.ruralThreshold)} ₫ · {t("standards.urban")}{" "}
                {number(s.urbanThreshold)} ₫ ({t("standards.perMonth")})
              </Text>
              <Text size="sm">
                {t("standards.indicators")}: {s.indicators.length} · {t("standards.poorMin")}:{" "}
                {s.poorMinLacking}
              </Text>
              <Text size="xs" c="dimmed">
                {t("standards.legalBasis")}: {s.legalBasis}
              </Text>
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
