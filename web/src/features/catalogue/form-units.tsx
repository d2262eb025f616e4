import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../../api/client.ts";
import type { UnitVersion } from "../../api/types.ts";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { StatusBadge } from "../../components/unit-badges.tsx";
import { UnitPicker } from "../../components/unit-picker.tsx";
import { catalogueKeys, formsInScopeQuery, setFormUnits, unitQuery } from "./api.ts";
import classes from "./catalogue.module.css";
import { useCatalogueText } from "./use-catalogue-text.ts";

interface FormUnitsProps {
  formCode: string;
  /** How many units report the form in all (GET /forms/{code}). */
  unitCount: number;
  /** The form's version, from the catalogue list; undefined until it has loaded. */
  version: number | undefined;
  canManage: boolean;
}

/**
 * The units that report a form, by name. A manager adds units (searched among today's) and removes them, then saves
 * the whole list at once; the changes are kept as additions and removals, so that when someone else saved first
 * they apply again on top of the list as it now is.
 */
export function FormUnits({ formCode, unitCount, version, canManage }: FormUnitsProps) {
  const { t, number } = useCatalogueText();
  const queryClient = useQueryClient();
  const inScope = useQuery(formsInScopeQuery());
  const [isEditing, setEditing] = useState(false);
  const [added, setAdded] = useState<string[]>([]);
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [isStale, setStale] = useState(false);
  const [savedCount, setSavedCount] = useState<number | null>(null);

  const current = inScope.data?.items.find((f) => f.code === formCode)?.units ?? [];
  /**
   * GET /forms lists only the units within the caller's scope. A province administrator's list replaces only its
   * own province's units; the server keeps the other provinces' (issue 8), so a partial list is safe to save.
   */
  const isPartial = inScope.data !== undefined && current.length < unitCount;
  const mayEdit = canManage && version !== undefined;
  const shown = [...current, ...added.filter((code) => !current.includes(code))];
  const wanted = shown.filter((code) => !removed.has(code));
  const hasChanges = added.some((code) => !current.includes(code)) || current.some((c) => removed.has(c));

  const units = useQueries({
    queries: shown.map((code) => unitQuery(code)),
  });
  const unitOf = (index: number) => units[index]?.data?.selected;

  const stopEditing = () => {
    setEditing(false);
    setAdded([]);
    setRemoved(new Set());
    setStale(false);
  };

  const mutation = useMutation({
    mutationFn: () => setFormUnits(formCode, wanted, version ?? 0),
    onSuccess: async (result) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: catalogueKeys.all }),
        queryClient.invalidateQueries({ queryKey: catalogueKeys.formsInScope }),
      ]);
      stopEditing();
      setSavedCount(result.units.length);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "stale_version") {
        // Someone else saved first: fetch their list and version; the additions and removals stay to apply again.
        setStale(true);
        void queryClient.invalidateQueries({ queryKey: catalogueKeys.all });
        void queryClient.invalidateQueries({ queryKey: catalogueKeys.formsInScope });
      }
    },
  });
  const otherError =
    mutation.isError && !(mutation.error instanceof ApiError && mutation.error.code === "stale_version")
      ? mutation.error
      : null;

  return (
    <Stack gap="sm" component="section" aria-labelledby="form-units-heading">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Title order={2} size="h3" id="form-units-heading">
          {t("units.heading")}
        </Title>
        {mayEdit && !isEditing && (
          <Button
            variant="light"
            onClick={() => {
              setSavedCount(null);
              setEditing(true);
            }}
          >
            {t("units.edit")}
          </Button>
        )}
      </Group>
      <div role="status" aria-live="polite">
        {savedCount !== null && (
          <Alert color="green" variant="light" withCloseButton onClose={() => setSavedCount(null)}>
            {t("units.saved", { count: savedCount, formatted: number(savedCount) })}
          </Alert>
        )}
      </div>
      {canManage && isPartial && (
        <Alert color="gray" variant="light">
          {t("units.partial", { shown: number(current.length), total: number(unitCount) })}
        </Alert>
      )}
      {isStale && (
        <Alert color="orange" variant="light" role="alert" title={t("stale.title")}>
          {t("units.stale")}
        </Alert>
      )}
      {otherError ? <ErrorState error={otherError} /> : null}
      {inScope.isPending && <LoadingState />}
      {inScope.isError && <ErrorState error={inScope.error} onRetry={() => inScope.refetch()} />}
      {isEditing && (
        <UnitAdder
          exclude={new Set(wanted)}
          onAdd={(added) => {
            setAdded((list) => (list.includes(added) ? list : [...list, added]));
            setRemoved((set) => new Set([...set].filter((code) => code !== added)));
          }}
        />
      )}
      {inScope.data &&
        (shown.length === 0 ? (
          <Text>{t("units.none")}</Text>
        ) : (
          <Table striped verticalSpacing="xs" className={common.table}>
            <Table.Caption className={common.visuallyHidden}>{t("units.heading")}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("units.colName")}</Table.Th>
                <Table.Th scope="col" visibleFrom="sm">
                  {t("col.code")}
                </Table.Th>
                <Table.Th scope="col" visibleFrom="sm">
                  {t("units.colPartOf")}
                </Table.Th>
                {isEditing && (
                  <Table.Th scope="col">
                    <span className={common.visuallyHidden}>{t("col.actions")}</span>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((code, index) => {
                const unit = unitOf(index);
                const isRemoved = removed.has(code);
                const isNew = !current.includes(code);
                const label = unit ? unit.name : code;
                return (
                  <Table.Tr key={code} className={isRemoved ? classes.removed : undefined}>
                    <Table.Td>
                      <Group gap={6} wrap="wrap">
                        <AnchorLink to="/units/$code" params={{ code }} fw={600}>
                          {label}
                        </AnchorLink>
                        {unit && <StatusBadge version={unit} />}
                        {isNew && (
                          <Badge color="teal" variant="light">
                            {t("units.new")}
                          </Badge>
                        )}
                        {isRemoved && (
                          <Badge color="red" variant="light">
                            {t("units.removedBadge")}
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed" hiddenFrom="sm">
                        {[code, ...(unit ? partOf(unit) : [])].join(" · ")}
                      </Text>
                    </Table.Td>
                    <Table.Td className={classes.codeCell} visibleFrom="sm">
                      {code}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{unit ? partOf(unit).join(" › ") : ""}</Table.Td>
                    {isEditing && (
                      <Table.Td className={classes.action}>
                        {isRemoved ? (
                          <Button
                            variant="subtle"
                            size="compact-sm"
                            onClick={() => setRemoved((set) => new Set([...set].filter((c) => c !== code)))}
                            aria-label={t("units.undoLabel", { name: label })}
                          >
                            {t("units.undo")}
                          </Button>
                        ) : (
                          <Button
                            variant="subtle"
                            color="red"
                            size="compact-sm"
                            onClick={() =>
                              isNew
                                ? setAdded((list) => list.filter((c) => c !== code))
                                : setRemoved((set) => new Set([...set, code]))
                            }
                            aria-label={t("units.removeLabel", { name: label })}
                          >
                            {t("units.remove")}
                          </Button>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        ))}
      {isEditing && (
        <Group justify="flex-end" gap="sm">
          <Text size="sm" c="dimmed" mr="auto">
            {t("units.willSave", { count: wanted.length, formatted: number(wanted.length) })}
          </Text>
          <Button variant="default" onClick={stopEditing}>
            {t("form.cancel")}
          </Button>
          <Button onClick={() => mutation.mutate()} loading={mutation.isPending} disabled={!hasChanges}>
            {t("units.save")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** Ancestors nearest first, as a unit's address reads: "Tỉnh Sơn La". */
const partOf = (unit: UnitVersion) => unit.ancestors.map((a) => a.name);

/** Searches today's units by name or code (with or without diacritics, on the server) to add one to the form. */
function UnitAdder({ exclude, onAdd }: { exclude: ReadonlySet<string>; onAdd: (code: string) => void }) {
  const { t } = useCatalogueText();
  return (
    <UnitPicker
      label={t("units.add")}
      description={t("units.addHint")}
      placeholder={t("units.addPlaceholder")}
      value={null}
      onChange={(unit) => unit && onAdd(unit.code)}
      levels={reportingLevels}
      withinCode={null}
      exclude={exclude}
      clearOnPick
      w={{ base: "100%", sm: 480 }}
    />
  );
}

/** Units that may report a form: provinces, communes and villages (no districts exist since 1 July 2025). */
const reportingLevels = ["province", "commune", "village"] as const;
