import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../paths.ts";

/**
 * Every error the API can return carries its message in Vietnamese and English. This walks the source with the
 * TypeScript checker: each `new AppError(…)` (and subclass) and each helper (`badRequest`, `notFound`, …) must be
 * given a message whose type has `vi` and `en` — never a plain string — and each zod check message must go through
 * `zodMessage({ vi, en })`. The codes found are listed, so a new one shows up in review.
 */

/** Files the data-integrity work converts on its own branch (entry, workflow, imports); emptied at the merge. */
const awaitingConversion = new Set<string>([]);

const helpers: Record<string, number> = {
  badRequest: 1,
  notFound: 1,
  unprocessable: 1,
  conflict: 1,
  forbidden: 0,
  unauthorized: 0,
};
/** zod checks whose string argument at this index is a message a person reads. */
const zodChecks: Record<string, number> = { regex: 1, refine: 1, date: 0, min: 1, max: 1, length: 1 };

function program() {
  const configPath = join(projectRoot, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, projectRoot);
  return ts.createProgram(
    parsed.fileNames.filter((f) => f.includes("/src/") && !/\.test\.ts$/.test(f)),
    parsed.options,
  );
}

interface Finding {
  at: string;
  code: string | null;
  problem: string;
}

function walk(): { findings: Finding[]; codes: Set<string> } {
  const p = program();
  const checker = p.getTypeChecker();
  const findings: Finding[] = [];
  const codes = new Set<string>();
  const appError = (type: ts.Type): boolean => {
    const symbol = type.getSymbol();
    if (symbol?.getName() === "AppError") return true;
    return (type.getBaseTypes?.() ?? []).some(appError);
  };
  const isLocalized = (node: ts.Expression) => {
    const type = checker.getTypeAtLocation(node);
    const vi = type.getProperty("vi");
    const en = type.getProperty("en");
    return !(type.flags & ts.TypeFlags.StringLike) && !type.isUnion() && vi !== undefined && en !== undefined;
  };
  for (const source of p.getSourceFiles()) {
    const file = source.fileName.slice(projectRoot.length + 1);
    if (!file.startsWith("src/") || source.isDeclarationFile || awaitingConversion.has(file)) continue;
    const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node)) {
        const type = checker.getTypeAtLocation(node);
        if (appError(type) && file !== "src/http/errors.ts") {
          const [, code, message] = node.arguments ?? [];
          const codeText = code && ts.isStringLiteralLike(code) ? code.text : null;
          if (codeText) codes.add(codeText);
          if (!message || !isLocalized(message))
            findings.push({ at: at(node), code: codeText, problem: "message is not { vi, en }" });
        }
      } else if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee)
          ? callee.text
          : ts.isPropertyAccessExpression(callee)
            ? callee.name.text
            : "";
        const helperIndex = ts.isIdentifier(callee) ? helpers[name] : undefined;
        if (helperIndex !== undefined && file !== "src/http/errors.ts") {
          const code = helperIndex === 1 ? node.arguments[0] : undefined;
          const codeText =
            helperIndex === 0
              ? name === "forbidden"
                ? "forbidden"
                : "unauthenticated"
              : code && ts.isStringLiteralLike(code)
                ? code.text
                : null;
          if (codeText) codes.add(codeText);
          const message = node.arguments[helperIndex];
          if (message && !isLocalized(message))
            findings.push({ at: at(node), code: codeText, problem: "message is not { vi, en }" });
        }
        // The configuration is read by the operator at start-up, in English like the rest of the logs.
        const zodIndex =
          ts.isPropertyAccessExpression(callee) && file !== "src/config.ts" ? zodChecks[name] : undefined;
        if (zodIndex !== undefined) {
          const message = node.arguments[zodIndex];
          if (message && ts.isStringLiteralLike(message))
            findings.push({
              at: at(node),
              code: null,
              problem: `zod message "${message.text}" without zodMessage`,
            });
          if (message && ts.isObjectLiteralExpression(message))
            for (const prop of message.properties)
              if (
                ts.isPropertyAssignment(prop) &&
                prop.name.getText() === "message" &&
                ts.isStringLiteralLike(prop.initializer)
              )
                findings.push({ at: at(node), code: null, problem: "zod message without zodMessage" });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { findings, codes };
}

describe("error messages", () => {
  const { findings, codes } = walk();

  it("gives every error the API can return a message in Vietnamese and English", () => {
    expect(findings).toEqual([]);
  });

  it("names every error with a stable snake_case code", () => {
    expect([...codes].filter((c) => !/^[a-z][a-z0-9_]*$/.test(c))).toEqual([]);
    expect(codes).toEqual(expect.any(Set));
    expect(codes.size, [...codes].join(", ")).toBeGreaterThan(30);
  });
});
