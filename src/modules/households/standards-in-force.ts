import type { DbOrTx } from "../../db/client.ts";
import type { RequestContext } from "../access/actor.ts";
import { listStandards, standardFor } from "./standards.ts";

/**
 * Which standard a province's communes are reviewed under in `year`, and the national one beside it, so the province
 * sees what its own standard changes. 422 (from `standardFor`) names the standards that exist when none applies.
 * Standards are public configuration (every signed-in reader lists them), so any province may be asked about.
 */
export async function standardInForce(db: DbOrTx, _ctx: RequestContext, year: number, provinceCode: string) {
  const applies = await standardFor(db, year, provinceCode);
  const national =
    (await listStandards(db)).find(
      (s) => s.provinceCode === null && s.fromYear <= year && s.toYear >= year,
    ) ?? null;
  return { year, provinceCode, applies, national, isLocal: applies.provinceCode !== null };
}
