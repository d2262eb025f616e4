import "./mantine-styles.ts";
import { Alert, Badge, Breadcrumbs, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import { meQuery } from "../../api/auth.ts";
import { ApiError } from "../../api/client.ts";
import common from "../../components/common.module.css";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { mayDesign } from "../forms/api.ts";
import { canManageCatalogue, catalogueQuery, type FormDetail, formQuery } from "./api.ts";
import classes from "./catalogue.module.css";
import { IllustrativeFormBadge } from "./catalogue-tables.tsx";
import { FormUnits } from "./form-units.tsx";
import { useCatalogueText } from "./use-catalogue-text.ts";

export const Route = createLazyRoute("/catalogue/forms/$code")({ component: FormPage });

const routeApi = getRouteApi("/catalogue/forms/$code");

/** /catalogue/forms/$code: a report form's sections and elements in order, its deadline and its reporting units. */
function FormPage() {
  const { t } = useCatalogueText();
  const { code } = routeApi.useParams();
  const form = useQuery(formQuery(code));

  if (form.isPending) return <LoadingState />;
  if (form.isError) {
    if (form.error instanceof ApiError && form.error.code === "form_not_found") {
      return (
        <Stack gap="md" align="flex-start">
          <Title order={1}>{t("formPage.notFoundTitle")}</Title>
          <Text>{t("formPage.notFound", { code })}</Text>
          <AnchorLink to="/catalogue" search={{ tab: "forms" }}>
            {t("formPage.back")}
          </AnchorLink>
        </Stack>
      );
    }
    return <ErrorState error={form.error} onRetry={() => form.refetch()} />;
  }
  return <FormDetails form={form.data} />;
}

function FormDetails({ form }: { form: FormDetail }) {
  const { t, name, periodTypeLabel, valueTypeLabel, number } = useCatalogueText();
  const me = useQuery(meQuery());
  const catalogue = useQuery(catalogueQuery());
  /** The form's version is in the catalogue list (GET /forms/{code} leaves it out); the units editor needs it. */
  const version = catalogue.data?.forms.find((f) => f.code === form.code)?.version;
  const elementCount = form.sections.reduce((n, s) => n + s.elements.length, 0);

  useEffect(() => {
    document.title = `${name(form)} — Grassroots`;
  }, [form, name]);

  let position = 0;
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Breadcrumbs component="nav" aria-label={t("formPage.breadcrumb")} separator="›" separatorMargin={6}>
          <AnchorLink to="/catalogue" search={{ tab: "forms" }} size="sm">
            {t("formPage.back")}
          </AnchorLink>
          <Text size="sm" span>
            {form.code}
          </Text>
        </Breadcrumbs>
        <Title order={1}>{name(form)}</Title>
        <Group gap="xs" wrap="wrap">
          <Badge variant="outline" color="gray">
            {t("formPage.code", { code: form.code })}
          </Badge>
          <Badge variant="outline" color="gray">
            {periodTypeLabel(form.periodType)}
          </Badge>
          {form.isIllustrative && <IllustrativeFormBadge />}
          {form.retiredAt && (
            <Badge variant="light" color="gray">
              {t("formPage.retired")}
            </Badge>
          )}
        </Group>
        {mayDesign(me.data?.user, form.ownerUnitCode ?? null) && (
          <ButtonLink
            to="/catalogue/forms/$code/design"
            params={{ code: form.code }}
            variant="light"
            style={{ alignSelf: "flex-start" }}
          >
            {t("formPage.edit")}
          </ButtonLink>
        )}
        <dl className={common.definitions}>
          <dt>{t("col.periodType")}</dt>
          <dd>{periodTypeLabel(form.periodType)}</dd>
          <dt>{t("col.deadline")}</dt>
          <dd>
            {form.deadlineRule === "day_of_next_month"
              ? t("formPage.deadlineNextMonth", { day: form.deadlineDays })
              : t("formPage.deadline", { count: form.deadlineDays })}
          </dd>
          <dt>{t("formPage.contents")}</dt>
          <dd>
            {t("formPage.contentsCount", {
              sections: number(form.sections.length),
              elements: number(elementCount),
            })}
          </dd>
          <dt>{t("formPage.unitCount")}</dt>
          <dd>{t("formPage.units", { count: form.unitCount, formatted: number(form.unitCount) })}</dd>
        </dl>
      </Stack>
      {form.isIllustrative && (
        <Alert color="yellow" variant="light" title={t("illustrative")}>
          {t("illustrativeHint")}
        </Alert>
      )}

      <Stack gap="lg" component="section" aria-labelledby="form-sections">
        <Title order={2} size="h3" id="form-sections">
          {t("formPage.sectionsHeading")}
        </Title>
        {form.sections.map((section, index) => {
          const headingId = `form-section-${index}`;
          return (
            <Stack
              gap="xs"
              key={section.elements[0]?.code ?? section.nameVi}
              component="section"
              aria-labelledby={headingId}
            >
              <Title order={3} size="h4" id={headingId}>
                {t("formPage.section", { index: index + 1, name: name(section) })}
              </Title>
              <Table striped verticalSpacing="xs" className={common.table}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col" ta="right" w={48}>
                      {t("col.position")}
                    </Table.Th>
                    <Table.Th scope="col">{t("col.name")}</Table.Th>
                    <Table.Th scope="col" visibleFrom="sm">
                      {t("col.code")}
                    </Table.Th>
                    <Table.Th scope="col" visibleFrom="sm">
                      {t("col.valueType")}
                    </Table.Th>
                    <Table.Th scope="col">{t("col.unitOfMeasure")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {section.elements.map((element) => {
                    position += 1;
                    return (
                      <Table.Tr key={element.code}>
                        <Table.Td ta="right" className={classes.number}>
                          {position}
                        </Table.Td>
                        <Table.Td>
                          <Text inherit fw={600}>
                            {name(element)}
                          </Text>
                          <Text size="xs" c="dimmed" hiddenFrom="sm">
                            <span className={classes.code}>{element.code}</span>
                            {` · ${valueTypeLabel(element.valueType)}`}
                          </Text>
                        </Table.Td>
                        <Table.Td className={classes.codeCell} visibleFrom="sm">
                          {element.code}
                        </Table.Td>
                        <Table.Td visibleFrom="sm">{valueTypeLabel(element.valueType)}</Table.Td>
                        <Table.Td>{element.unitOfMeasure ?? "—"}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Stack>
          );
        })}
      </Stack>

      <FormUnits
        formCode={form.code}
        unitCount={form.unitCount}
        version={version}
        canManage={canManageCatalogue(me.data?.user)}
      />
    </Stack>
  );
}
