import { Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import type { ReactNode } from "react";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import type { DataElement, FormSummary, Indicator, ValidationRule } from "./api.ts";
import classes from "./catalogue.module.css";
import { type ElementsByCode, IndicatorFormula, RuleFormula } from "./formula.tsx";
import { useCatalogueText } from "./use-catalogue-text.ts";

/** The edit button of a row, named after the entry so that a screen reader's list of buttons tells them apart. */
function EditButton({ code, onClick }: { code: string; onClick: () => void }) {
  const { t } = useCatalogueText();
  return (
    <Button variant="subtle" size="compact-sm" onClick={onClick} aria-label={t("table.editLabel", { code })}>
      {t("table.edit")}
    </Button>
  );
}

function CatalogueTable({
  caption,
  head,
  children,
}: {
  caption: string;
  head: ReactNode;
  children: ReactNode;
}) {
  return (
    <Table striped highlightOnHover verticalSpacing="xs" className={common.table}>
      <Table.Caption className={common.visuallyHidden}>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>{head}</Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
}

/** On a phone the code (and what else has no column there) folds under the name: three columns fit 360 px. */
function Folded({ children }: { children: ReactNode }) {
  return (
    <Text size="xs" c="dimmed" hiddenFrom="sm" component="div">
      {children}
    </Text>
  );
}

export function ElementsTable({
  items,
  onEdit,
}: {
  items: DataElement[];
  onEdit: ((entry: DataElement) => void) | undefined;
}) {
  const { t, name, valueTypeLabel, aggregationLabel } = useCatalogueText();
  return (
    <CatalogueTable
      caption={t("tabs.elements")}
      head={
        <>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.code")}
          </Table.Th>
          <Table.Th scope="col">{t("col.name")}</Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.valueType")}
          </Table.Th>
          <Table.Th scope="col">{t("col.unitOfMeasure")}</Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.aggregation")}
          </Table.Th>
          {onEdit && (
            <Table.Th scope="col">
              <span className={common.visuallyHidden}>{t("col.actions")}</span>
            </Table.Th>
          )}
        </>
      }
    >
      {items.map((e) => (
        <Table.Tr key={e.code}>
          <Table.Td className={classes.codeCell} visibleFrom="sm">
            {e.code}
          </Table.Td>
          <Table.Td>
            <Text inherit fw={600}>
              {name(e)}
            </Text>
            {e.description && (
              <Text size="xs" c="dimmed" lineClamp={2}>
                {e.description}
              </Text>
            )}
            <Folded>
              <span className={classes.code}>{e.code}</span>
              {` · ${valueTypeLabel(e.valueType)} · ${aggregationLabel(e.aggregation)}`}
            </Folded>
          </Table.Td>
          <Table.Td visibleFrom="sm">{valueTypeLabel(e.valueType)}</Table.Td>
          <Table.Td>{e.unitOfMeasure ?? "—"}</Table.Td>
          <Table.Td visibleFrom="sm">{aggregationLabel(e.aggregation)}</Table.Td>
          {onEdit && (
            <Table.Td className={classes.action}>
              <EditButton code={e.code} onClick={() => onEdit(e)} />
            </Table.Td>
          )}
        </Table.Tr>
      ))}
    </CatalogueTable>
  );
}

export function IndicatorsTable({
  items,
  byCode,
  onEdit,
}: {
  items: Indicator[];
  byCode: ElementsByCode;
  onEdit: ((entry: Indicator) => void) | undefined;
}) {
  const { t, name } = useCatalogueText();
  const direction = (i: Indicator) => (i.higherIsBetter ? t("direction.higher") : t("direction.lower"));
  return (
    <CatalogueTable
      caption={t("tabs.indicators")}
      head={
        <>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.code")}
          </Table.Th>
          <Table.Th scope="col">{t("col.name")}</Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.formula")}
          </Table.Th>
          <Table.Th scope="col" visibleFrom="md">
            {t("col.direction")}
          </Table.Th>
          {onEdit && (
            <Table.Th scope="col">
              <span className={common.visuallyHidden}>{t("col.actions")}</span>
            </Table.Th>
          )}
        </>
      }
    >
      {items.map((i) => (
        <Table.Tr key={i.code}>
          <Table.Td className={classes.codeCell} visibleFrom="sm">
            {i.code}
          </Table.Td>
          <Table.Td>
            <Text inherit fw={600}>
              {name(i)}
            </Text>
            <Text size="xs" c="dimmed" hiddenFrom="md">
              {direction(i)}
            </Text>
            <Folded>
              <span className={classes.code}>{i.code}</span>
              <Text component="div" size="sm" c="var(--mantine-color-text)" mt={4}>
                <IndicatorFormula indicator={i} elements={byCode} />
              </Text>
            </Folded>
          </Table.Td>
          <Table.Td visibleFrom="sm">
            <IndicatorFormula indicator={i} elements={byCode} />
            <Text size="xs" c="dimmed" mt={2}>
              {t("indicator.decimalsShort", { count: i.decimals })}
            </Text>
          </Table.Td>
          <Table.Td visibleFrom="md">{direction(i)}</Table.Td>
          {onEdit && (
            <Table.Td className={classes.action}>
              <EditButton code={i.code} onClick={() => onEdit(i)} />
            </Table.Td>
          )}
        </Table.Tr>
      ))}
    </CatalogueTable>
  );
}

const importanceColors = { high: "red", medium: "orange", low: "gray" } as const;

export function RulesTable({
  items,
  byCode,
  onEdit,
}: {
  items: ValidationRule[];
  byCode: ElementsByCode;
  onEdit: ((entry: ValidationRule) => void) | undefined;
}) {
  const { t, ruleMessage, importanceLabel } = useCatalogueText();
  return (
    <CatalogueTable
      caption={t("tabs.rules")}
      head={
        <>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.code")}
          </Table.Th>
          <Table.Th scope="col">{t("col.rule")}</Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.message")}
          </Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.importance")}
          </Table.Th>
          {onEdit && (
            <Table.Th scope="col">
              <span className={common.visuallyHidden}>{t("col.actions")}</span>
            </Table.Th>
          )}
        </>
      }
    >
      {items.map((r) => (
        <Table.Tr key={r.code}>
          <Table.Td className={classes.codeCell} visibleFrom="sm">
            {r.code}
          </Table.Td>
          <Table.Td>
            <Stack gap={4}>
              <RuleFormula rule={r} elements={byCode} />
              <Folded>
                <span className={classes.code}>{r.code}</span>
                {` · ${t("col.importance")}: ${importanceLabel(r.importance)}`}
                <Text component="div" size="xs" c="dimmed">
                  {ruleMessage(r)}
                </Text>
              </Folded>
            </Stack>
          </Table.Td>
          <Table.Td visibleFrom="sm">{ruleMessage(r)}</Table.Td>
          <Table.Td visibleFrom="sm">
            <Badge variant="light" color={importanceColors[r.importance]}>
              {importanceLabel(r.importance)}
            </Badge>
          </Table.Td>
          {onEdit && (
            <Table.Td className={classes.action}>
              <EditButton code={r.code} onClick={() => onEdit(r)} />
            </Table.Td>
          )}
        </Table.Tr>
      ))}
    </CatalogueTable>
  );
}

export function FormsTable({ items }: { items: FormSummary[] }) {
  const { t, name, periodTypeLabel } = useCatalogueText();
  return (
    <CatalogueTable
      caption={t("tabs.forms")}
      head={
        <>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.code")}
          </Table.Th>
          <Table.Th scope="col">{t("col.name")}</Table.Th>
          <Table.Th scope="col">{t("col.periodType")}</Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("col.deadline")}
          </Table.Th>
        </>
      }
    >
      {items.map((f) => (
        <Table.Tr key={f.code}>
          <Table.Td className={classes.codeCell} visibleFrom="sm">
            {f.code}
          </Table.Td>
          <Table.Td>
            <Group gap={6} wrap="wrap">
              <AnchorLink to="/catalogue/forms/$code" params={{ code: f.code }} fw={600}>
                {name(f)}
              </AnchorLink>
              {f.isIllustrative && <IllustrativeFormBadge />}
            </Group>
            <Folded>
              <span className={classes.code}>{f.code}</span>
              {` · ${t("form.deadlineDays", { count: f.deadlineDays })}`}
            </Folded>
          </Table.Td>
          <Table.Td>{periodTypeLabel(f.periodType)}</Table.Td>
          <Table.Td visibleFrom="sm">{t("form.deadlineDays", { count: f.deadlineDays })}</Table.Td>
        </Table.Tr>
      ))}
    </CatalogueTable>
  );
}

/** Demo forms are marked wherever they appear, so nobody takes their figures for official ones. */
export function IllustrativeFormBadge() {
  const { t } = useCatalogueText();
  return (
    <Badge color="yellow.4" variant="filled" autoContrast title={t("illustrativeHint")}>
      {t("illustrative")}
    </Badge>
  );
}
