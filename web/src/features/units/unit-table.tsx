import { Box, Group, Stack, Table, Text } from "@mantine/core";
import type { ReactNode } from "react";
import type { UnitVersion } from "../../api/types.ts";
import common from "../../components/common.module.css";
import { IllustrativeBadge, StatusBadge } from "../../components/unit-badges.tsx";
import { useUnitText } from "../../lib/use-unit-text.ts";
import classes from "./units.module.css";

interface UnitTableProps {
  units: UnitVersion[];
  /** The name cell: a link down the tree, or to the unit's page. */
  renderName: (unit: UnitVersion) => ReactNode;
  /** The last cell: a link to the unit's record, when the name does something else. */
  renderAction?: (unit: UnitVersion) => ReactNode;
  caption: string;
}

/** Units as a table, the way officials keep them in Excel; the type column folds under the name on phones. */
export function UnitTable({ units, renderName, renderAction, caption }: UnitTableProps) {
  const { t, kindLabel, count } = useUnitText();
  // Communes on 30/06/2025 and villages have no children: a column of zeros would only be noise.
  const hasChildCounts = units.some((u) => (u.childCount ?? 0) > 0);
  // In a list of a past date where every unit has since ended, one sentence above says so instead of a badge a row.
  const allEnded = units.every((u) => !u.isCurrent);
  return (
    <>
      {allEnded && (
        <Text size="sm" c="red.9">
          {t("units.allEnded")}
        </Text>
      )}
      <Table striped highlightOnHover verticalSpacing="xs" className={common.table}>
        <Table.Caption className={common.visuallyHidden}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("units.colName")}</Table.Th>
            <Table.Th scope="col" visibleFrom="sm">
              {t("units.colCode")}
            </Table.Th>
            <Table.Th scope="col" visibleFrom="sm">
              {t("units.colKind")}
            </Table.Th>
            {hasChildCounts && (
              <Table.Th scope="col" ta="right">
                {t("units.colChildren")}
              </Table.Th>
            )}
            {renderAction && (
              <Table.Th scope="col">
                <span className={common.visuallyHidden}>{t("units.colDetails")}</span>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {units.map((unit) => (
            <Table.Tr key={`${unit.code}/${unit.validFrom ?? ""}`}>
              <Table.Td>
                <Stack gap={2}>
                  <Group gap={6} wrap="wrap">
                    {renderName(unit)}
                    {!allEnded && (
                      <Box visibleFrom="sm">
                        <StatusBadge version={unit} />
                      </Box>
                    )}
                    <IllustrativeBadge version={unit} />
                  </Group>
                  {/* On a phone the code, type and status fold under the name: three columns fit 360 px. */}
                  <Text size="xs" c="dimmed" hiddenFrom="sm">
                    {[t("unit.code", { code: unit.code }), kindLabel(unit.kind)].join(" · ")}
                    {!unit.isCurrent && !allEnded && (
                      <Text component="span" size="xs" c="red.9" fw={600}>
                        {` · ${t("status.ended")}`}
                      </Text>
                    )}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td className={classes.code} visibleFrom="sm">
                {unit.code}
              </Table.Td>
              <Table.Td visibleFrom="sm">{kindLabel(unit.kind)}</Table.Td>
              {hasChildCounts && (
                <Table.Td ta="right" className={classes.number}>
                  {unit.childCount === undefined ? "" : count(unit.childCount)}
                </Table.Td>
              )}
              {renderAction && <Table.Td className={classes.action}>{renderAction(unit)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
