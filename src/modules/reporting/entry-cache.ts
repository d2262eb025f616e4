import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { unitVersionsOn } from "../units/queries.ts";
import { type FormElementView, type FormView, getForm } from "./catalogue.ts";
import { type Expr, parseExpression, referencedElements } from "./expression.ts";
import { dataElements, formUnits, validationRules } from "./schema.ts";

/**
 * What data entry reads on every save and that changes only when someone edits the catalogue or the units: a form's
 * definition (sections, elements with their ids, the units that report it), the validation rules of its elements,
 * and the unit version of a code on a day. Kept per database handle and keyed by the two counters that statement
 * triggers bump on every such change (catalogue_version, migration 0018; analytics_dimension_version, migration 0004),
 * which a save reads in one indexed query: a change committed by any process, another server on the same PostgreSQL
 * included, is seen by the next save. Cached objects are shared: callers read them, never change them.
 */
export interface Versions {
  units: number;
  catalogue: number;
}

/** Both counters, in one round trip. */
export async function readVersions(db: DbOrTx): Promise<Versions> {
  const [row] = rowsOf<{ units: number | string | null; catalogue: number | string | null }>(
    await db.execute(sql`SELECT
      (SELECT version FROM analytics_dimension_version WHERE id = 1) AS units,
      (SELECT version FROM catalogue_version WHERE id = 1) AS catalogue`),
  );
  return { units: Number(row?.units ?? 0), catalogue: Number(row?.catalogue ?? 0) };
}

export interface CompiledRule {
  id: number;
  code: string;
  operator: (typeof validationRules.$inferSelect)["operator"];
  importance: (typeof validationRules.$inferSelect)["importance"];
  messageVi: string;
  messageEn: string;
  left: Expr;
  right: Expr;
  /** The element codes it reads, each once. */
  refs: string[];
}

export interface CachedForm {
  form: FormView & { id: number };
  /** The form's elements by code, with their data element ids. */
  elements: ReadonlyMap<string, FormElementView & { id: number }>;
  /** Codes of the units that report the form. */
  units: ReadonlySet<string>;
  /** The rules whose elements all belong to the form (those the entry screen checks), in the order they were made. */
  rules: readonly CompiledRule[];
}

interface Cache {
  catalogue: number;
  units: number;
  forms: Map<string, Promise<CachedForm>>;
  unitVersions: Map<string, { id: number; code: string; name: string } | null>;
}

const caches = new WeakMap<object, Cache>();

function cacheFor(db: DbOrTx, versions: Versions): Cache {
  let cache = caches.get(db);
  // A request that read the counters before someone else's newer read: answer it from a cache of its own.
  if (cache && (versions.catalogue < cache.catalogue || versions.units < cache.units))
    return { ...versions, forms: new Map(), unitVersions: new Map() };
  if (!cache || cache.catalogue !== versions.catalogue || cache.units !== versions.units) {
    const keepUnits = cache && cache.units === versions.units ? cache.unitVersions : new Map();
    const keepForms = cache && cache.catalogue === versions.catalogue ? cache.forms : new Map();
    cache = { ...versions, forms: keepForms, unitVersions: keepUnits };
    caches.set(db, cache);
  }
  return cache;
}

async function readForm(db: DbOrTx, code: string): Promise<CachedForm> {
  const form = await getForm(db, code);
  const [ids, units, ruleRows] = await Promise.all([
    db.select({ id: dataElements.id, code: dataElements.code }).from(dataElements),
    db.select({ code: formUnits.unitCode }).from(formUnits).where(sql`${formUnits.formId} = ${form.id}`),
    db.select().from(validationRules).orderBy(validationRules.id),
  ]);
  const idOf = new Map(ids.map((r) => [r.code, r.id]));
  const elements = new Map<string, FormElementView & { id: number }>();
  for (const section of form.sections)
    for (const e of section.elements) elements.set(e.code, { ...e, id: idOf.get(e.code) ?? 0 });
  const rules: CompiledRule[] = [];
  for (const rule of ruleRows) {
    const left = parseExpression(rule.left);
    const right = parseExpression(rule.right);
    if (!left.ok || !right.ok) continue;
    const refs = [...new Set([...referencedElements(left.expr), ...referencedElements(right.expr)])];
    if (refs.length === 0 || !refs.every((c) => elements.has(c))) continue;
    rules.push({
      id: rule.id,
      code: rule.code,
      operator: rule.operator,
      importance: rule.importance,
      messageVi: rule.messageVi,
      messageEn: rule.messageEn,
      left: left.expr,
      right: right.expr,
      refs,
    });
  }
  return { form, elements, units: new Set(units.map((u) => u.code)), rules };
}

/** A form's definition as of `versions` (404 form_not_found for an unknown code, never cached). */
export function cachedForm(db: DbOrTx, code: string, versions: Versions): Promise<CachedForm> {
  const cache = cacheFor(db, versions);
  let entry = cache.forms.get(code);
  if (!entry) {
    entry = readForm(db, code);
    cache.forms.set(code, entry);
    // A refusal (unknown form) or a failed read is not kept.
    entry.catch(() => cache.forms.delete(code));
  }
  return entry;
}

/** The version of `code` valid on `date`, as of `versions` (see unitVersionsOn). */
export async function cachedUnitVersionOn(
  db: DbOrTx,
  code: string,
  date: string,
  versions: Versions,
): Promise<{ id: number; code: string; name: string } | null> {
  const cache = cacheFor(db, versions);
  const key = `${code}|${date}`;
  const hit = cache.unitVersions.get(key);
  if (hit !== undefined) return hit;
  const [version] = await unitVersionsOn(db, [code], date);
  if (cache.unitVersions.size >= 20_000) cache.unitVersions.clear();
  cache.unitVersions.set(key, version ?? null);
  return version ?? null;
}
