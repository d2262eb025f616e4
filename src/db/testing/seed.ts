import { anonymous, type RequestContext, systemActor } from "../../modules/access/actor.ts";
import { loadDemoReporting } from "../../modules/reporting/demo.ts";
import { loadDemoStandards } from "../../modules/standards/demo.ts";
import { loadDemoVillages } from "../../modules/units/demo.ts";
import { importReferenceUnits } from "../../modules/units/import-reference.ts";
import { referenceDataFolder } from "../../paths.ts";
import type { Database } from "../client.ts";

export const testCtx: RequestContext = { actor: systemActor("test"), requestId: "test" };
export const anonymousCtx: RequestContext = { actor: anonymous, requestId: "test" };

/** What every integration test starts from: the national reference units, demo villages and the demo report form. */
export async function seedReference(database: Database): Promise<void> {
  await database.migrate();
  await importReferenceUnits(database.db, testCtx, referenceDataFolder);
  await loadDemoVillages(database.db, testCtx);
  await loadDemoReporting(database.db, testCtx);
  await loadDemoStandards(database.db, testCtx);
}
