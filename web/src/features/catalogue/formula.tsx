import { Text, Tooltip } from "@mantine/core";
import type { ReactNode } from "react";
import common from "../../components/common.module.css";
import type { DataElement, Indicator, ValidationRule } from "./api.ts";
import classes from "./catalogue.module.css";
import { type BinaryOperator, type Expr, parseExpression } from "./expression.ts";
import { operatorSymbols, useCatalogueText } from "./use-catalogue-text.ts";

export type ElementsByCode = ReadonlyMap<string, DataElement>;

const precedence: Record<BinaryOperator, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };
const shownOperator: Record<BinaryOperator, string> = { "+": "+", "-": "−", "*": "×", "/": "/" };

/** An element by its name in the UI language; its code on hover, or in red when the catalogue lacks it. */
export function ElementName({ code, elements }: { code: string; elements: ElementsByCode }) {
  const { name, t } = useCatalogueText();
  const element = elements.get(code);
  if (!element) {
    return (
      <Text component="span" inherit c="red.9" fw={600} className={classes.code}>
        {t("formula.unknown", { code })}
      </Text>
    );
  }
  return (
    <Tooltip label={`#{${code}}`} events={{ hover: true, focus: false, touch: true }} withinPortal>
      <span className={classes.elementName} data-code={code}>
        {name(element)}
      </span>
    </Tooltip>
  );
}

/** An expression tree as people read it: names instead of codes, × for *, and only the parentheses it needs. */
export function ExpressionView({ expr, elements }: { expr: Expr; elements: ElementsByCode }): ReactNode {
  const { number } = useCatalogueText();
  const render = (e: Expr): ReactNode => {
    switch (e.kind) {
      case "number":
        return <span className={classes.number}>{number(e.value)}</span>;
      case "element":
        return <ElementName code={e.code} elements={elements} />;
      case "unary":
        return <>−{e.operand.kind === "binary" ? <>({render(e.operand)})</> : render(e.operand)}</>;
      case "binary": {
        const p = precedence[e.op];
        const wrapLeft = e.left.kind === "binary" && precedence[e.left.op] < p;
        const wrapRight = e.right.kind === "binary" && precedence[e.right.op] <= p;
        return (
          <>
            {wrapLeft ? <>({render(e.left)})</> : render(e.left)}
            <span className={classes.operator}> {shownOperator[e.op]} </span>
            {wrapRight ? <>({render(e.right)})</> : render(e.right)}
          </>
        );
      }
    }
  };
  return render(expr);
}

/** Text as saved, when it does not parse (an entry older than the language): shown rather than hidden. */
function Raw({ text }: { text: string }) {
  return <code className={classes.code}>{text}</code>;
}

/** An unknown element is marked where it stands (ElementName) rather than dropping the whole formula. */
function Expression({ text, elements }: { text: string; elements: ElementsByCode }) {
  const parsed = parseExpression(text);
  return parsed.ok ? <ExpressionView expr={parsed.expr} elements={elements} /> : <Raw text={text} />;
}

const isOne = (text: string) => text.trim() === "1";

/**
 * numerator / denominator × factor as a fraction: "Chiều dài đường đã bê tông hoá" over "Tổng chiều dài đường xã",
 * then "× 100". A denominator of 1 leaves no fraction.
 */
export function IndicatorFormula({
  indicator,
  elements,
}: {
  indicator: Pick<Indicator, "numerator" | "denominator" | "factor">;
  elements: ElementsByCode;
}) {
  const { number, t } = useCatalogueText();
  const factor = indicator.factor !== 1 && Number.isFinite(indicator.factor) && (
    <span className={classes.operator}>
      {" × "}
      <span className={classes.number}>{number(indicator.factor)}</span>
    </span>
  );
  if (isOne(indicator.denominator)) {
    return (
      <span className={classes.formula}>
        <Expression text={indicator.numerator} elements={elements} />
        {factor}
      </span>
    );
  }
  return (
    <span className={classes.formula}>
      <span className={classes.fraction}>
        <span className={classes.numerator}>
          <Expression text={indicator.numerator} elements={elements} />
        </span>
        <span className={common.visuallyHidden}> {t("formula.over")} </span>
        <span className={classes.denominator}>
          <Expression text={indicator.denominator} elements={elements} />
        </span>
      </span>
      {factor}
    </span>
  );
}

/** left ≤ right, with names. */
export function RuleFormula({
  rule,
  elements,
}: {
  rule: Pick<ValidationRule, "left" | "operator" | "right">;
  elements: ElementsByCode;
}) {
  const { operatorLabel } = useCatalogueText();
  return (
    <span className={classes.formula}>
      <Expression text={rule.left} elements={elements} />
      <span className={classes.operator} title={operatorLabel(rule.operator)}>
        {` ${operatorSymbols[rule.operator]} `}
      </span>
      <Expression text={rule.right} elements={elements} />
    </span>
  );
}
