import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { type FormEvent, useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { unitHistoryQuery } from "../../api/units.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import { FormDialog } from "./household-edit.tsx";
import "./mantine-styles.ts";
import { createLocalStandard, type Standard, standardInForceQuery, standardsQuery } from "./registry-api.ts";
import { useHouseholdsText } from "./use-households-text.ts";
import { useRegistryText } from "./use-registry-text.ts";

export const Route = createLazyRoute("/households/standards")({ component: StandardsPage });
const routeApi = getRouteApi("/households/standards");

const allIndicators = [
  "employment",
  "dependants",
  "nutrition",
  "health_insurance",
  "adult_education",
  "child_schooling",
  "housing_quality",
  "living_area",
  "water_source",
  "toilet",
  "telecom",
  "information_access",
  "waste_treatment",
] as const;

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

/** "Tỉnh Sơn La" → "tỉnh Sơn La", as it reads inside a sentence or a title. */
const inSentence = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function CreateLocal({ province }: { province: string }) {
  const { t } = useRegistryText();
  const unit = useQuery(unitHistoryQuery(province, undefined));
  const [opened, setOpened] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <>
      <Group>
        <Button variant="light" onClick={() => setOpened(true)}>
          {t("standards.create")}
        </Button>
      </Group>
      {created && (
        <Alert color="green" withCloseButton onClose={() => setCreated(null)}>
          {t("standards.created", { code: created })}
        </Alert>
      )}
      <FormDialog
        title={t("standards.createTitle", { province: inSentence(unit.data?.selected.name ?? province) })}
        opened={opened}
        onClose={() => setOpened(false)}
      >
        <CreateForm
          province={province}
          onCancel={() => setOpened(false)}
          onDone={(code) => {
            setOpened(false);
            setCreated(code);
          }}
        />
      </FormDialog>
    </>
  );
}

function CreateForm({
  province,
  onCancel,
  onDone,
}: {
  province: string;
  onCancel: () => void;
  onDone: (code: string) => void;
}) {
  const { t, number, language } = useRegistryText();
  const queryClient = useQueryClient();
  const list = useQuery(standardsQuery());
  const unit = useQuery(unitHistoryQuery(province, undefined));
  const nationals = (list.data?.items ?? []).filter((s) => s.provinceCode === null);
  const [basedOn, setBasedOn] = useState<string>("");
  const base = nationals.find((s) => s.code === basedOn) ?? nationals.at(-1);
  const [form, setForm] = useState<{
    fromYear: number | "";
    toYear: number | "";
    rural: number | "";
    urban: number | "";
    poorMin: number | "";
    extra: string[];
    legalBasis: string;
  } | null>(null);
  // The form starts from the chosen national standard, once the list is in.
  useEffect(() => {
    if (base)
      setForm({
        fromYear: base.fromYear,
        toYear: base.toYear,
        rural: base.ruralThreshold,
        urban: base.urbanThreshold,
        poorMin: base.poorMinLacking,
        extra: [],
        legalBasis: "",
      });
  }, [base]);
  const provinceName = unit.data?.selected.name ?? province;
  const save = useMutation({
    mutationFn: (body: Omit<Standard, "id">) => createLocalStandard(body),
    onSuccess: async (made) => {
      await queryClient.invalidateQueries({ queryKey: ["poverty-standards"] });
      onDone(made.code);
    },
  });
  if (list.isPending || !form || !base) return <LoadingState />;
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm({ ...form, [key]: value });
  const lower = (value: number | "", national: number) =>
    value !== "" && value < national
      ? t("standards.lowerThanNational", { amount: number(national) })
      : undefined;
  const complete =
    form.fromYear !== "" &&
    form.toYear !== "" &&
    form.rural !== "" &&
    form.urban !== "" &&
    form.poorMin !== "" &&
    form.legalBasis.trim() !== "";
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!complete) return;
    const from = Number(form.fromYear);
    const to = Number(form.toYear);
    const shortName = inSentence(provinceName);
    save.mutate({
      code: `${province}_${from}_${to}`,
      nameVi: `Chuẩn nghèo ${shortName} ${from}–${to}`,
      nameEn: `${provinceName} poverty standard ${from}–${to}`,
      legalBasis: form.legalBasis.trim(),
      provinceCode: province,
      fromYear: from,
      toYear: to,
      ruralThreshold: Number(form.rural),
      urbanThreshold: Number(form.urban),
      indicators: [...base.indicators, ...form.extra],
      poorMinLacking: Number(form.poorMin),
    });
  };
  const money = {
    thousandSeparator: language === "en" ? "," : ".",
    decimalSeparator: language === "en" ? "." : ",",
    allowDecimal: false,
    allowNegative: false,
    min: 0,
    suffix: " ₫",
  } as const;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("standards.createHint")}
        </Text>
        <NativeSelect
          label={t("standards.basedOn")}
          value={base.code}
          onChange={(e) => setBasedOn(e.currentTarget.value)}
          data={nationals.map((s) => ({
            value: s.code,
            label: `${language === "en" ? s.nameEn : s.nameVi} (${s.fromYear}–${s.toYear})`,
          }))}
        />
        <SimpleGrid cols={2} spacing="sm">
          <NumberInput
            label={t("standards.fromYear")}
            value={form.fromYear}
            onChange={(v) => set("fromYear", v === "" ? "" : Number(v))}
            thousandSeparator=""
            allowDecimal={false}
            min={2000}
            max={2100}
          />
          <NumberInput
            label={t("standards.toYear")}
            value={form.toYear}
            onChange={(v) => set("toYear", v === "" ? "" : Number(v))}
            thousandSeparator=""
            allowDecimal={false}
            min={2000}
            max={2100}
          />
        </SimpleGrid>
        <NumberInput
          label={t("standards.ruralThreshold")}
          value={form.rural}
          onChange={(v) => set("rural", v === "" ? "" : Number(v))}
          error={lower(form.rural, base.ruralThreshold)}
          {...money}
        />
        <NumberInput
          label={t("standards.urbanThreshold")}
          value={form.urban}
          onChange={(v) => set("urban", v === "" ? "" : Number(v))}
          error={lower(form.urban, base.urbanThreshold)}
          {...money}
        />
        <NumberInput
          label={t("standards.poorMinLacking")}
          value={form.poorMin}
          onChange={(v) => set("poorMin", v === "" ? "" : Number(v))}
          min={1}
          max={base.poorMinLacking}
          allowDecimal={false}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t("standards.indicators")} ({base.indicators.length + form.extra.length})
          </Text>
          {allIndicators.map((i) => {
            const isNational = base.indicators.includes(i);
            return (
              <Checkbox
                key={i}
                size="sm"
                label={t(`indicators.${i}`)}
                checked={isNational || form.extra.includes(i)}
                disabled={isNational}
                onChange={(e) =>
                  set(
                    "extra",
                    e.currentTarget.checked ? [...form.extra, i] : form.extra.filter((x) => x !== i),
                  )
                }
              />
            );
          })}
        </Stack>
        <TextInput
          label={t("standards.legalBasis")}
          description={t("standards.legalBasisHint")}
          value={form.legalBasis}
          onChange={(e) => set("legalBasis", e.currentTarget.value)}
          maxLength={200}
          required
        />
        {save.isError && <ErrorState error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("edit.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!complete}>
            {t("standards.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
