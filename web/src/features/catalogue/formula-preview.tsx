import { Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import classes from "./catalogue.module.css";
import { type Expr, referencedElements } from "./expression.ts";
import type { ElementsByCode } from "./formula.tsx";
import { useCatalogueText } from "./use-catalogue-text.ts";

/**
 * "Xem trước": the formula as it will read in reports, with the elements it uses listed by code and name underneath
 * (a phone has no hover to show a name's code).
 */
export function FormulaPreview({
  isReady,
  exprs,
  byCode,
  children,
}: {
  isReady: boolean;
  exprs: ReadonlyArray<Expr | null>;
  byCode: ElementsByCode;
  children: ReactNode;
}) {
  const { t, name } = useCatalogueText();
  const used = [...new Set(exprs.flatMap((e) => (e ? referencedElements(e) : [])))];
  return (
    <Stack gap={6} className={classes.preview} component="section" aria-label={t("preview.title")}>
      <Text size="sm" fw={700}>
        {t("preview.title")}
      </Text>
      {isReady ? (
        <div>{children}</div>
      ) : (
        <Text size="sm" c="dimmed">
          {t("preview.notReady")}
        </Text>
      )}
      {used.length > 0 && (
        <ul className={classes.usedList} aria-label={t("preview.used")}>
          {used.map((code) => {
            const element = byCode.get(code);
            return (
              <li key={code}>
                <span className={classes.code}>{code}</span>
                {" — "}
                {element ? (
                  `${name(element)}${element.unitOfMeasure ? ` (${element.unitOfMeasure})` : ""}`
                ) : (
                  <Text component="span" inherit c="red.9" fw={600}>
                    {t("preview.unknown")}
                  </Text>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Stack>
  );
}
