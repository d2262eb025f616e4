import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";

/** Where the data stands: the last change of any data value, and of the units and their lineage. */
export interface DataVersion {
  values: number;
  dimensions: number;
}

/**
 * Two index lookups, cheap enough for every open dashboard to ask each second and fetch its figures again only when
 * the answer moves: that is how a value saved in a form shows on the dashboards within about two seconds.
 */
export async function dataVersion(db: DbOrTx): Promise<DataVersion> {
  const [row] = rowsOf<{ values: string | null; dimensions: string | null }>(
    await db.execute(sql`
      SELECT (SELECT max(seq) FROM data_value_changes)::text AS values,
             (SELECT version FROM analytics_dimension_version WHERE id = 1)::text AS dimensions`),
  );
  return { values: Number(row?.values ?? 0), dimensions: Number(row?.dimensions ?? 0) };
}
