import "./mantine-styles.ts";
import { Alert, Button, CloseButton, Group, Stack, Tabs, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import type { CatalogueTab } from "../../router.tsx";
import {
  type Catalogue,
  canManageCatalogue,
  catalogueKeys,
  catalogueQuery,
  type DataElement,
  type Indicator,
  type ValidationRule,
} from "./api.ts";
import classes from "./catalogue.module.css";
import { ElementsTable, FormsTable, IndicatorsTable, RulesTable } from "./catalogue-tables.tsx";
import { DataElementDialog } from "./data-element-dialog.tsx";
import type { DialogTarget } from "./entry-form.tsx";
import { foldText } from "./expression.ts";
import type { ElementsByCode } from "./formula.tsx";
import { IndicatorDialog } from "./indicator-dialog.tsx";
import { RuleDialog } from "./rule-dialog.tsx";
import { useCatalogueText } from "./use-catalogue-text.ts";

export const Route = createLazyRoute("/catalogue")({ component: CataloguePage });

const routeApi = getRouteApi("/catalogue");

const tabs: readonly CatalogueTab[] = ["elements", "indicators", "rules", "forms"];

/** /catalogue?tab=&q=: data elements, indicators, validation rules and forms; managers add and change them. */
function CataloguePage() {
  const { t } = useCatalogueText();
  const catalogue = useQuery(catalogueQuery());
  const me = useQuery(meQuery());

  useEffect(() => {
    document.title = `${t("title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t("title")}</Title>
        <Text c="dimmed">{t("intro")}</Text>
      </div>
      {catalogue.isPending && <LoadingState />}
      {catalogue.isError && <ErrorState error={catalogue.error} onRetry={() => catalogue.refetch()} />}
      {catalogue.data && (
        <CatalogueTabs catalogue={catalogue.data} canManage={canManageCatalogue(me.data?.user)} />
      )}
    </Stack>
  );
}

const matches = (query: string, ...fields: Array<string | null>) =>
  query === "" || fields.some((field) => field !== null && foldText(field).includes(query));

function CatalogueTabs({ catalogue, canManage }: { catalogue: Catalogue; canManage: boolean }) {
  const { t } = useCatalogueText();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const queryClient = useQueryClient();
  const tab = search.tab ?? "elements";
  const [text, setText] = useState(search.q ?? "");
  const [element, setElement] = useState<DialogTarget<DataElement> | null>(null);
  const [indicator, setIndicator] = useState<DialogTarget<Indicator> | null>(null);
  const [rule, setRule] = useState<DialogTarget<ValidationRule> | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  // The address follows the search after a pause, so a shared link shows the same list; filtering is instant.
  const [debounced] = useDebouncedValue(text.trim(), 300);
  const sent = useRef(search.q ?? "");
  useEffect(() => {
    if (debounced === sent.current) return;
    sent.current = debounced;
    void navigate({ search: (prev) => ({ ...prev, q: debounced || undefined }), replace: true });
  }, [debounced, navigate]);

  const byCode: ElementsByCode = useMemo(
    () => new Map(catalogue.dataElements.map((e) => [e.code, e])),
    [catalogue.dataElements],
  );
  const query = foldText(text.trim());
  /** An indicator or rule is found by the names of the elements it uses, too ("hộ nghèo" finds POVERTY_RATE). */
  const elementNames = (formula: string) =>
    [...formula.matchAll(/#\{([A-Z0-9_]+)\}/g)]
      .map((m) => byCode.get(m[1] ?? ""))
      .flatMap((e) => (e ? [e.nameVi, e.nameEn] : []))
      .join(" ");
  const found = {
    elements: catalogue.dataElements.filter((e) =>
      matches(query, e.code, e.nameVi, e.nameEn, e.unitOfMeasure, e.description),
    ),
    indicators: catalogue.indicators.filter((i) =>
      matches(query, i.code, i.nameVi, i.nameEn, elementNames(`${i.numerator} ${i.denominator}`)),
    ),
    rules: catalogue.validationRules.filter((r) =>
      matches(query, r.code, r.messageVi, r.messageEn, elementNames(`${r.left} ${r.right}`)),
    ),
    forms: catalogue.forms.filter((f) => matches(query, f.code, f.nameVi, f.nameEn)),
  };
  const codes = (entries: Array<{ code: string }>) => new Set(entries.map((e) => e.code));

  const onSaved = (code: string) => {
    setElement(null);
    setIndicator(null);
    setRule(null);
    setSaved(code);
    void queryClient.invalidateQueries({ queryKey: catalogueKeys.all });
  };

  const panel = (
    value: CatalogueTab,
    count: number,
    createLabel: string | null,
    onCreate: () => void,
    table: ReactNode,
  ) => (
    <Tabs.Panel value={value} pt="md">
      <Stack gap="sm">
        <Group justify="space-between" align="center" gap="sm">
          <Text size="sm" c="dimmed" aria-live="polite">
            {query ? t("search.found", { count }) : t("search.count", { count })}
          </Text>
          {canManage && createLabel && <Button onClick={onCreate}>{createLabel}</Button>}
        </Group>
        {count === 0 ? (
          <Text>{query ? t("search.noMatch", { q: text.trim() }) : t("search.empty")}</Text>
        ) : (
          table
        )}
      </Stack>
    </Tabs.Panel>
  );

  return (
    <Stack gap="md">
      {!canManage && (
        <Text size="sm" c="dimmed">
          {t("readOnly")}
        </Text>
      )}
      <search>
        <TextInput
          type="search"
          label={t("search.label")}
          placeholder={t("search.placeholder")}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
          w={{ base: "100%", sm: 420 }}
          rightSection={
            text ? <CloseButton aria-label={t("search.clear")} onClick={() => setText("")} /> : null
          }
        />
      </search>
      <div role="status" aria-live="polite">
        {saved && (
          <Alert
            color="green"
            variant="light"
            withCloseButton
            onClose={() => setSaved(null)}
            closeButtonLabel={t("form.close")}
          >
            {t("saved", { code: saved })}
          </Alert>
        )}
      </div>
      <Tabs
        value={tab}
        onChange={(next) => {
          if (next && (tabs as readonly string[]).includes(next))
            void navigate({ search: (prev) => ({ ...prev, tab: next as CatalogueTab }), replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label={t("tabsLabel")} className={classes.tabList}>
          {tabs.map((value) => (
            <Tabs.Tab key={value} value={value}>
              {t(`tabs.${value}`)}{" "}
              <Text component="span" size="xs" c="dimmed">
                ({found[value].length})
              </Text>
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {panel(
          "elements",
          found.elements.length,
          t("element.create"),
          () => setElement({ mode: "create" }),
          <ElementsTable
            items={found.elements}
            onEdit={canManage ? (entry) => setElement({ mode: "edit", entry }) : undefined}
          />,
        )}
        {panel(
          "indicators",
          found.indicators.length,
          t("indicator.create"),
          () => setIndicator({ mode: "create" }),
          <IndicatorsTable
            items={found.indicators}
            byCode={byCode}
            onEdit={canManage ? (entry) => setIndicator({ mode: "edit", entry }) : undefined}
          />,
        )}
        {panel(
          "rules",
          found.rules.length,
          t("rule.create"),
          () => setRule({ mode: "create" }),
          <RulesTable
            items={found.rules}
            byCode={byCode}
            onEdit={canManage ? (entry) => setRule({ mode: "edit", entry }) : undefined}
          />,
        )}
        {panel(
          "forms",
          found.forms.length,
          t("formPage.create"),
          () => void navigate({ to: "/catalogue/forms/new" }),
          <FormsTable items={found.forms} />,
        )}
      </Tabs>
      {canManage && (
        <>
          <DataElementDialog
            target={element}
            takenCodes={codes(catalogue.dataElements)}
            onClose={() => setElement(null)}
            onSaved={onSaved}
          />
          <IndicatorDialog
            target={indicator}
            takenCodes={codes(catalogue.indicators)}
            elements={catalogue.dataElements}
            onClose={() => setIndicator(null)}
            onSaved={onSaved}
          />
          <RuleDialog
            target={rule}
            takenCodes={codes(catalogue.validationRules)}
            elements={catalogue.dataElements}
            onClose={() => setRule(null)}
            onSaved={onSaved}
          />
        </>
      )}
    </Stack>
  );
}
