import "@mantine/core/styles/Pill.css";
import "@mantine/core/styles/PillsInput.css";
import "@mantine/core/styles/SegmentedControl.css";
import "@mantine/core/styles/SimpleGrid.css";
import {
  ActionIcon,
  Alert,
  Breadcrumbs,
  Button,
  Grid,
  Group,
  Modal,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import type { User } from "../../api/types.ts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { type PickedUnit, UnitPicker } from "../../components/unit-picker.tsx";
import { formatDay, todayInVietnam } from "../../lib/dates.ts";
import { formatNumber } from "../../lib/format.ts";
import {
  catalogueKeys,
  catalogueQuery,
  type DataElement,
  type PeriodType,
  unitQuery,
} from "../catalogue/api.ts";
import { useCatalogueText } from "../catalogue/use-catalogue-text.ts";
import {
  createForm,
  type DeadlineRule,
  type FormDesign,
  type FormDesignInput,
  formDesignQuery,
  formsKeys,
  formUsageQuery,
  mayDesign,
  setRetired,
  type UnitSelection,
  updateForm,
} from "./api.ts";
import { deadlineOf, isComputable, lastEndedPeriod, shortestNextMonth } from "./deadline.ts";
import { FormPreview } from "./form-preview.tsx";
import classes from "./forms.module.css";
import { useFormsText } from "./forms-text.ts";

export const NewFormRoute = createLazyRoute("/catalogue/forms/new")({ component: NewFormPage });
export const EditFormRoute = createLazyRoute("/catalogue/forms/$code/design")({ component: EditFormPage });

const editRoute = getRouteApi("/catalogue/forms/$code/design");

type UnitsMode = "communes" | "list" | "villages";

interface Draft {
  code: string;
  nameVi: string;
  nameEn: string;
  periodType: PeriodType;
  deadlineRule: DeadlineRule;
  deadlineDays: number | string;
  /** Percent, as typed. */
  threshold: number | string;
  changeFactor: number | string;
  sections: Array<{ key: number; nameVi: string; nameEn: string; elements: string[] }>;
  unitsMode: UnitsMode;
  province: string | null;
  units: string[];
  villagesOf: PickedUnit | null;
}

let sectionKey = 0;
const newSection = () => ({ key: ++sectionKey, nameVi: "", nameEn: "", elements: [] as string[] });

function blankDraft(user: User | null | undefined): Draft {
  return {
    code: "",
    nameVi: "",
    nameEn: "",
    periodType: "monthly",
    deadlineRule: "day_of_next_month",
    deadlineDays: 20,
    threshold: 80,
    changeFactor: 2,
    sections: [newSection()],
    unitsMode: "list",
    province: user?.scope?.level === "province" ? user.scope.code : null,
    units: [],
    villagesOf: null,
  };
}

function draftOf(design: FormDesign): Draft {
  return {
    code: design.code,
    nameVi: design.nameVi,
    nameEn: design.nameEn,
    periodType: design.periodType,
    deadlineRule: design.deadlineRule,
    deadlineDays: design.deadlineDays,
    threshold: Math.round(design.coverageThreshold * 1000) / 10,
    changeFactor: design.changeFactor,
    sections: design.sections.map((s) => ({ ...s, key: ++sectionKey })),
    unitsMode: "list",
    province: design.ownerUnitCode,
    units: design.units,
    villagesOf: null,
  };
}

function NewFormPage() {
  const me = useQuery(meQuery());
  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  return <Designer initial={blankDraft(me.data.user)} design={null} user={me.data.user} />;
}

function EditFormPage() {
  const { code } = editRoute.useParams();
  const me = useQuery(meQuery());
  const design = useQuery(formDesignQuery(code));
  if (me.isPending || design.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (design.isError) return <ErrorState error={design.error} onRetry={() => design.refetch()} />;
  return (
    <Designer
      key={`${design.data.code}-${design.data.version}`}
      initial={draftOf(design.data)}
      design={design.data}
      user={me.data.user}
    />
  );
}

const codePattern = /^[A-Z][A-Z0-9_]{0,63}$/;

interface Problems {
  code?: string;
  nameVi?: string;
  nameEn?: string;
  deadlineDays?: string;
  threshold?: string;
  changeFactor?: string;
  elements?: string;
  units?: string;
}

/**
 * /catalogue/forms/new and /catalogue/forms/$code/design: a province administrator (or the system administrator)
 * designs a form — settings, sections of catalogue elements, reporting units — and sees it as communes will.
 * Checks run in the browser as one types (no browser bubbles: the form is noValidate); the server checks again.
 */
function Designer({
  initial,
  design,
  user,
}: {
  initial: Draft;
  design: FormDesign | null;
  user: User | null;
}) {
  const { t } = useFormsText();
  const { name, periodTypeLabel } = useCatalogueText();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const catalogue = useQuery(catalogueQuery());
  const usage = useQuery({ ...formUsageQuery(design?.code ?? ""), enabled: design !== null });
  const [draft, setDraft] = useState<Draft>(initial);
  const [isSubmitted, setSubmitted] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [confirmRetire, setConfirmRetire] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const isNew = design === null;
  const mayEdit = isNew
    ? user?.role === "system_admin" || user?.role === "province_admin"
    : mayDesign(user, design.ownerUnitCode);

  const elementsByCode = useMemo(
    () => new Map((catalogue.data?.dataElements ?? []).map((e) => [e.code, e] as const)),
    [catalogue.data],
  );
  /** National elements and the province's own: another province's are not offered (the server refuses them). */
  const offered = (catalogue.data?.dataElements ?? []).filter(
    (e) => (e.ownerUnitCode ?? null) === null || e.ownerUnitCode === draft.province,
  );
  const chosen = new Set(draft.sections.flatMap((s) => s.elements));

  const days = Number(draft.deadlineDays);
  const threshold = Number(draft.threshold);
  const factor = Number(draft.changeFactor);
  const problems: Problems = {};
  if (isNew && !codePattern.test(draft.code.trim())) problems.code = t("errors.code");
  if (!draft.nameVi.trim()) problems.nameVi = t("errors.required");
  if (!draft.nameEn.trim()) problems.nameEn = t("errors.required");
  if (draft.deadlineDays === "" || !isComputable(draft.periodType, draft.deadlineRule, days))
    problems.deadlineDays =
      draft.deadlineRule === "day_of_next_month" && Number.isInteger(days) && days > 0
        ? t("deadlineImpossible", { day: days, max: shortestNextMonth[draft.periodType] })
        : t("errors.required");
  if (draft.threshold === "" || !(threshold >= 0 && threshold <= 100))
    problems.threshold = t("errors.threshold");
  if (draft.changeFactor === "" || !(factor > 1)) problems.changeFactor = t("errors.changeFactor");
  if (chosen.size === 0) problems.elements = t("errors.noElements");
  const unitsChosen =
    draft.unitsMode === "communes"
      ? draft.province !== null
      : draft.unitsMode === "villages"
        ? draft.villagesOf !== null
        : draft.units.length > 0;
  if (!unitsChosen) problems.units = t("errors.noUnits");
  const hasProblems = Object.keys(problems).length > 0;
  const shown = (key: keyof Problems) => (isSubmitted ? problems[key] : undefined);

  const sample = lastEndedPeriod(draft.periodType, todayInVietnam());
  const deadlineLine = problems.deadlineDays
    ? null
    : t("deadlineExample", { period: sample.code, date: formatDay(deadlineOf(sample.end, days)) });

  const selection = (): UnitSelection =>
    draft.unitsMode === "communes" && draft.province
      ? { communesOf: draft.province }
      : draft.unitsMode === "villages" && draft.villagesOf
        ? { villagesOf: draft.villagesOf.code }
        : draft.units;
  const input = (): FormDesignInput => ({
    nameVi: draft.nameVi.trim(),
    nameEn: draft.nameEn.trim(),
    periodType: draft.periodType,
    deadlineRule: draft.deadlineRule,
    deadlineDays: days,
    coverageThreshold: threshold / 100,
    changeFactor: factor,
    sections: draft.sections
      .filter((s) => s.elements.length > 0)
      .map((s, i) => ({
        nameVi: s.nameVi.trim() || t("section", { index: i + 1, lng: "vi" }),
        nameEn: s.nameEn.trim() || t("section", { index: i + 1, lng: "en" }),
        elements: s.elements,
      })),
    units: selection(),
  });

  const save = useMutation({
    mutationFn: () =>
      design
        ? updateForm(design.code, { ...input(), version: design.version })
        : createForm({ ...input(), code: draft.code.trim() }),
    onSuccess: async (result) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: catalogueKeys.all }),
        queryClient.invalidateQueries({ queryKey: catalogueKeys.formsInScope }),
        queryClient.invalidateQueries({ queryKey: ["forms"] }),
      ]);
      await navigate({ to: "/catalogue/forms/$code", params: { code: result.code } });
    },
  });
  const retire = useMutation({
    mutationFn: () => setRetired(design?.code ?? "", design?.retiredAt === null, design?.version ?? 0),
    onSuccess: async () => {
      setConfirmRetire(false);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: catalogueKeys.all }),
        queryClient.invalidateQueries({ queryKey: catalogueKeys.formsInScope }),
        queryClient.invalidateQueries({ queryKey: formsKeys.design(design?.code ?? "") }),
      ]);
    },
  });

  const removedWithValues = design
    ? design.sections
        .flatMap((s) => s.elements)
        .filter((c) => !chosen.has(c) && (usage.data?.valuesByElement[c] ?? 0) > 0)
    : [];
  const hasReports = (usage.data?.reports ?? 0) > 0;

  useEffect(() => {
    document.title = `${design ? t("titleEdit", { name: design.nameVi }) : t("titleNew")} — Grassroots`;
  }, [design, t]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (hasProblems) return;
    // A form with data says what happens to it before anything is saved.
    if (design && (hasReports || removedWithValues.length > 0)) setConfirming(true);
    else save.mutate();
  };

  if (catalogue.isPending) return <LoadingState />;
  if (catalogue.isError) return <ErrorState error={catalogue.error} onRetry={() => catalogue.refetch()} />;

  const title = design ? t("titleEdit", { name: name(design) }) : t("titleNew");
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Breadcrumbs component="nav" aria-label={t("back")} separator="›" separatorMargin={6}>
          <AnchorLink to="/catalogue" search={{ tab: "forms" }} size="sm">
            {t("back")}
          </AnchorLink>
          {design && (
            <AnchorLink to="/catalogue/forms/$code" params={{ code: design.code }} size="sm">
              {design.code}
            </AnchorLink>
          )}
        </Breadcrumbs>
        <Title order={1}>{title}</Title>
        <Text c="dimmed">{t("intro")}</Text>
      </Stack>
      {!mayEdit && (
        <Alert color="orange" variant="light" role="alert">
          {t("notAllowed")}
        </Alert>
      )}
      {design?.retiredAt && (
        <Alert color="gray" variant="light">
          {t("retired")}
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <form noValidate onSubmit={onSubmit} aria-label={title}>
            <Stack gap="lg">
              <Paper withBorder p="md" component="fieldset" disabled={!mayEdit} className={classes.fieldset}>
                <Stack gap="sm">
                  <Title order={2} size="h3">
                    {t("settings")}
                  </Title>
                  {isNew && (
                    <TextInput
                      label={t("code")}
                      description={t("codeHint")}
                      value={draft.code}
                      onChange={(e) => set("code", e.currentTarget.value.toUpperCase())}
                      error={shown("code")}
                      withAsterisk
                      autoComplete="off"
                    />
                  )}
                  <SimpleGrid cols={{ base: 1, sm: 2 }}>
                    <TextInput
                      label={t("nameVi")}
                      value={draft.nameVi}
                      onChange={(e) => set("nameVi", e.currentTarget.value)}
                      error={shown("nameVi")}
                      withAsterisk
                    />
                    <TextInput
                      label={t("nameEn")}
                      value={draft.nameEn}
                      onChange={(e) => set("nameEn", e.currentTarget.value)}
                      error={shown("nameEn")}
                      withAsterisk
                    />
                  </SimpleGrid>
                  <NativeSelect
                    label={t("periodType")}
                    value={draft.periodType}
                    onChange={(e) => set("periodType", e.currentTarget.value as PeriodType)}
                    data={(["monthly", "quarterly", "sixMonthly", "yearly"] as const).map((p) => ({
                      value: p,
                      label: periodTypeLabel(p),
                    }))}
                    disabled={hasReports}
                    description={hasReports ? t("periodTypeLocked") : undefined}
                  />
                  <SimpleGrid cols={{ base: 1, sm: 2 }}>
                    <NativeSelect
                      label={t("deadlineRule")}
                      value={draft.deadlineRule}
                      onChange={(e) => set("deadlineRule", e.currentTarget.value as DeadlineRule)}
                      data={(["day_of_next_month", "days_after_end"] as const).map((r) => ({
                        value: r,
                        label: t(`rule.${r}`),
                      }))}
                    />
                    <NumberInput
                      label={
                        draft.deadlineRule === "day_of_next_month" ? t("deadlineDay") : t("deadlineDays")
                      }
                      value={draft.deadlineDays}
                      onChange={(v) => set("deadlineDays", v)}
                      min={0}
                      max={366}
                      allowDecimal={false}
                      error={
                        shown("deadlineDays") ??
                        (problems.deadlineDays && draft.deadlineDays !== ""
                          ? problems.deadlineDays
                          : undefined)
                      }
                      description={deadlineLine}
                    />
                  </SimpleGrid>
                  <SimpleGrid cols={{ base: 1, sm: 2 }}>
                    <NumberInput
                      label={t("threshold")}
                      description={t("thresholdHint")}
                      value={draft.threshold}
                      onChange={(v) => set("threshold", v)}
                      min={0}
                      max={100}
                      decimalSeparator=","
                      error={shown("threshold")}
                    />
                    <NumberInput
                      label={t("changeFactor")}
                      description={t("changeFactorHint")}
                      value={draft.changeFactor}
                      onChange={(v) => set("changeFactor", v)}
                      min={1}
                      decimalSeparator=","
                      error={shown("changeFactor")}
                    />
                  </SimpleGrid>
                </Stack>
              </Paper>

              <Paper withBorder p="md" component="fieldset" disabled={!mayEdit} className={classes.fieldset}>
                <Stack gap="md">
                  <Title order={2} size="h3">
                    {t("sections")}
                  </Title>
                  {draft.sections.map((section, index) => (
                    <Stack key={section.key} gap="xs">
                      <Group justify="space-between" wrap="nowrap">
                        <Title order={3} size="h5">
                          {t("section", { index: index + 1 })}
                        </Title>
                        {draft.sections.length > 1 && (
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t("removeSection", { index: index + 1 })}
                            onClick={() =>
                              set(
                                "sections",
                                draft.sections.filter((s) => s.key !== section.key),
                              )
                            }
                          >
                            ×
                          </ActionIcon>
                        )}
                      </Group>
                      <SimpleGrid cols={{ base: 1, sm: 2 }}>
                        <TextInput
                          label={t("sectionNameVi")}
                          value={section.nameVi}
                          onChange={(e) => {
                            const value = e.currentTarget.value;
                            set(
                              "sections",
                              draft.sections.map((s) =>
                                s.key === section.key ? { ...s, nameVi: value } : s,
                              ),
                            );
                          }}
                        />
                        <TextInput
                          label={t("sectionNameEn")}
                          value={section.nameEn}
                          onChange={(e) => {
                            const value = e.currentTarget.value;
                            set(
                              "sections",
                              draft.sections.map((s) =>
                                s.key === section.key ? { ...s, nameEn: value } : s,
                              ),
                            );
                          }}
                        />
                      </SimpleGrid>
                      <MultiSelect
                        label={t("elements")}
                        placeholder={t("elementsPlaceholder")}
                        searchable
                        value={section.elements}
                        onChange={(codes) =>
                          set(
                            "sections",
                            draft.sections.map((s) =>
                              s.key === section.key ? { ...s, elements: codes } : s,
                            ),
                          )
                        }
                        data={offered
                          .filter((e) => !chosen.has(e.code) || section.elements.includes(e.code))
                          .map((e) => ({ value: e.code, label: `${name(e)} (${e.code})` }))}
                        error={index === 0 ? shown("elements") : undefined}
                        comboboxProps={{ withinPortal: true }}
                        maxDropdownHeight={260}
                        className={classes.pills}
                      />
                    </Stack>
                  ))}
                  <Button
                    variant="light"
                    onClick={() => set("sections", [...draft.sections, newSection()])}
                    style={{ alignSelf: "flex-start" }}
                  >
                    {t("addSection")}
                  </Button>
                </Stack>
              </Paper>

              <UnitsEditor
                draft={draft}
                set={set}
                user={user}
                design={design}
                error={shown("units")}
                disabled={!mayEdit}
              />

              {save.isError && <ErrorState error={save.error} />}
              {mayEdit && (
                <Group gap="sm">
                  <Button type="submit" loading={save.isPending}>
                    {t("save")}
                  </Button>
                  {design && (
                    <Button
                      variant="outline"
                      color={design.retiredAt ? "blue" : "red"}
                      onClick={() => setConfirmRetire(true)}
                    >
                      {design.retiredAt ? t("reinstate") : t("retire")}
                    </Button>
                  )}
                </Group>
              )}
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <FormPreview
            name={draft.nameVi}
            sections={draft.sections}
            elements={elementsByCode as ReadonlyMap<string, DataElement>}
            deadlineLine={deadlineLine}
          />
        </Grid.Col>
      </Grid>

      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={removedWithValues.length > 0 ? t("keptTitle") : t("changedTitle")}
      >
        <Stack gap="sm">
          {removedWithValues.length > 0 ? (
            <>
              <Text size="sm">{t("keptIntro", { reports: formatNumber(usage.data?.reports ?? 0) })}</Text>
              <ul>
                {removedWithValues.map((c) => {
                  const n = usage.data?.valuesByElement[c] ?? 0;
                  const element = elementsByCode.get(c);
                  return (
                    <li key={c}>
                      {t("keptLine", {
                        count: n,
                        formatted: formatNumber(n),
                        name: element ? name(element) : c,
                      })}
                    </li>
                  );
                })}
              </ul>
            </>
          ) : (
            <Text size="sm">{t("changedIntro", { reports: formatNumber(usage.data?.reports ?? 0) })}</Text>
          )}
          {save.isError && <ErrorState error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t("cancel")}
            </Button>
            <Button loading={save.isPending} onClick={() => save.mutate()}>
              {t("keptConfirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={confirmRetire}
        onClose={() => setConfirmRetire(false)}
        title={design?.retiredAt ? t("reinstate") : t("retireTitle")}
      >
        <Stack gap="sm">
          {!design?.retiredAt && <Text size="sm">{t("retireIntro")}</Text>}
          {retire.isError && <ErrorState error={retire.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmRetire(false)}>
              {t("cancel")}
            </Button>
            <Button
              color={design?.retiredAt ? "blue" : "red"}
              loading={retire.isPending}
              onClick={() => retire.mutate()}
            >
              {design?.retiredAt ? t("reinstate") : t("retire")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

interface UnitsEditorProps {
  draft: Draft;
  set: <K extends keyof Draft>(key: K, value: Draft[K]) => void;
  user: User | null;
  design: FormDesign | null;
  error: string | undefined;
  disabled: boolean;
}

/** Who reports: every commune of the province, a chosen list, or the villages of one commune. */
function UnitsEditor({ draft, set, user, design, error, disabled }: UnitsEditorProps) {
  const { t } = useFormsText();
  const within = user?.role === "system_admin" ? null : (user?.scope?.code ?? null);
  const units = useQueries({ queries: draft.units.map((code) => unitQuery(code)) });
  const province = useQuery({ ...unitQuery(draft.province ?? ""), enabled: draft.province !== null });
  const provinceName = province.data?.selected?.name ?? draft.province ?? "";
  return (
    <Paper withBorder p="md" component="fieldset" disabled={disabled} className={classes.fieldset}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t("units")}
        </Title>
        <SegmentedControl
          value={draft.unitsMode}
          onChange={(v) => set("unitsMode", v as UnitsMode)}
          data={(["communes", "list", "villages"] as const).map((m) => ({
            value: m,
            label: t(`unitsMode.${m}`),
          }))}
          orientation="vertical"
          fullWidth
          className={classes.segmented}
          aria-label={t("units")}
        />
        {design && design.otherUnitCount > 0 && (
          <Alert color="gray" variant="light">
            {t("otherUnits", {
              count: design.otherUnitCount,
              formatted: formatNumber(design.otherUnitCount),
            })}
          </Alert>
        )}
        {draft.unitsMode === "communes" &&
          (user?.role === "system_admin" ? (
            <UnitPicker
              label={t("province")}
              value={null}
              onChange={(u) => set("province", u?.code ?? null)}
              levels={["province"]}
              withinCode={null}
              error={error}
            />
          ) : (
            <Text size="sm">{t("communesOf", { name: provinceName })}</Text>
          ))}
        {draft.unitsMode === "villages" && (
          <UnitPicker
            label={t("commune")}
            value={draft.villagesOf}
            onChange={(u) => set("villagesOf", u)}
            levels={["commune"]}
            withinCode={within}
            error={error}
          />
        )}
        {draft.unitsMode === "list" && (
          <Stack gap="xs">
            <UnitPicker
              label={t("addUnit")}
              placeholder={t("addUnitPlaceholder")}
              value={null}
              onChange={(u) => u && !draft.units.includes(u.code) && set("units", [...draft.units, u.code])}
              levels={["commune", "village"]}
              withinCode={within}
              exclude={new Set(draft.units)}
              clearOnPick
              error={error}
            />
            <Text size="sm" role="status">
              {draft.units.length === 0
                ? t("noUnitsYet")
                : t("chosen", { count: draft.units.length, formatted: formatNumber(draft.units.length) })}
            </Text>
            <Stack gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {draft.units.map((code, i) => {
                const unitName = units[i]?.data?.selected?.name ?? code;
                return (
                  <Group key={code} component="li" justify="space-between" wrap="nowrap" gap="xs">
                    <Text size="sm">{`${unitName} (${code})`}</Text>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      aria-label={t("removeUnit", { name: unitName })}
                      onClick={() =>
                        set(
                          "units",
                          draft.units.filter((c) => c !== code),
                        )
                      }
                    >
                      ×
                    </Button>
                  </Group>
                );
              })}
            </Stack>
          </Stack>
        )}
        {draft.unitsMode !== "list" && error && (
          <Text size="sm" c="red">
            {error}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
