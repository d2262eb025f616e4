import {
  Alert,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { unitHistoryQuery } from "../../api/units.ts";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { FormDialog } from "./household-edit.tsx";
import { createLocalStandard, type Standard, standardsQuery } from "./registry-api.ts";
import { useRegistryText } from "./use-registry-text.ts";

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

/** "Tỉnh Sơn La" → "tỉnh Sơn La", as it reads inside a sentence or a title. */
const inSentence = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** A province administrator's button and form for the province's own standard, starting from a national one. */
export function CreateLocal({ province }: { province: string }) {
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
