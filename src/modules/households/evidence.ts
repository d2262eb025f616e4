import { sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { notFound, unprocessable } from "../../http/errors.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import {
  type AttachmentStore,
  checkFile,
  readStoredFile,
  storeFile,
  type UploadedFile,
} from "../documents/attachments.ts";
import { actorIdOf } from "./common.ts";
import { distributionEvidence } from "./schema.ts";
import { lockCycle } from "./support.ts";

/** A file as the screens list it (no path, no uploader). */
export interface EvidenceView {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
}

const notOnList = (householdId: number) =>
  unprocessable(
    "not_on_approved_list",
    {
      vi: `Hộ số ${householdId} không có trong danh sách của đợt này.`,
      en: `Household ${householdId} is not on this cycle's list.`,
    },
    { fields: [{ field: "householdId", message: "not on the list" }] },
  );

/**
 * The delivery of a cycle to a household, for its evidence: the cycle and the household both within the reader's
 * scope (a household moved away is not the commune's to show), 422 when the household is not on the list.
 */
async function deliveryOf(
  tx: DbOrTx,
  ctx: RequestContext,
  cycleId: number,
  householdId: number,
  lock: boolean,
) {
  const { cycle } = await lockCycle(tx, ctx, cycleId, "share");
  const [row] = rowsOf<{ distribution_id: string | number | null; commune_code: string }>(
    await tx.execute(sql`SELECT d.id AS distribution_id, h.commune_code
      FROM entitlements e JOIN households h ON h.id = e.household_id LEFT JOIN distributions d ON d.entitlement_id = e.id
      WHERE e.cycle_id = ${cycleId} AND e.household_id = ${householdId}
      ${lock ? sql`FOR SHARE OF e` : sql``}`),
  );
  if (!row) throw notOnList(householdId);
  await assertUnitInScope(tx, ctx.actor, row.commune_code);
  return {
    cycle,
    householdCommune: row.commune_code,
    distributionId: row.distribution_id === null ? null : Number(row.distribution_id),
  };
}

/**
 * Keeps a file (a photo of the receipt, the signed list) as evidence of a recorded delivery: checked (413, 415) and
 * written to the attachments folder first, then its record and audit event in one transaction, where the delivery is
 * looked up again (422 when the household has not received its support yet).
 */
export async function attachDistributionEvidence(
  db: Db,
  ctx: RequestContext,
  store: AttachmentStore,
  cycleId: number,
  householdId: number,
  upload: UploadedFile,
): Promise<EvidenceView> {
  const file = checkFile(store, upload);
  await deliveryOf(db, ctx, cycleId, householdId, false);
  await storeFile(store, file);
  return db.transaction(async (tx) => {
    const delivery = await deliveryOf(tx, ctx, cycleId, householdId, true);
    if (delivery.distributionId === null)
      throw unprocessable(
        "not_delivered",
        {
          vi: `Hộ số ${householdId} chưa được ghi nhận đã nhận hỗ trợ; ghi nhận cấp phát trước rồi mới đính kèm minh chứng.`,
          en: `No delivery is recorded for household ${householdId}; record the delivery before attaching its evidence.`,
        },
        { fields: [{ field: "householdId", message: "not delivered" }] },
      );
    const [row] = await tx
      .insert(distributionEvidence)
      .values({
        distributionId: delivery.distributionId,
        fileName: file.fileName,
        contentType: file.contentType,
        size: file.size,
        sha256: file.sha256,
        uploadedBy: actorIdOf(ctx.actor),
      })
      .returning({ id: distributionEvidence.id });
    if (!row) throw new Error("insert returned nothing");
    const view = { id: row.id, fileName: file.fileName, contentType: file.contentType, size: file.size };
    await recordAudit(tx, ctx, {
      action: "distribution.attach_evidence",
      recordKind: "distribution",
      recordId: delivery.distributionId,
      unitCode: delivery.cycle.communeCode,
      after: { cycleId, householdId, ...view, sha256: file.sha256 },
    });
    return view;
  });
}

/** The evidence files of one household's delivery in a cycle, oldest first (none when nothing was delivered). */
export async function listDistributionEvidence(
  db: DbOrTx,
  ctx: RequestContext,
  cycleId: number,
  householdId: number,
): Promise<{ delivered: boolean; items: EvidenceView[] }> {
  const delivery = await deliveryOf(db, ctx, cycleId, householdId, false);
  if (delivery.distributionId === null) return { delivered: false, items: [] };
  const rows = rowsOf<{ id: string | number; file_name: string; content_type: string; size: number }>(
    await db.execute(sql`SELECT id, file_name, content_type, size FROM distribution_evidence
      WHERE distribution_id = ${delivery.distributionId} ORDER BY id`),
  );
  return { delivered: true, items: rows.map(presentEvidence) };
}

/** The evidence files of the given households' deliveries in a cycle, by household (for a page of the list). */
export async function evidenceByHousehold(
  db: DbOrTx,
  cycleId: number,
  householdIds: number[],
): Promise<Map<number, EvidenceView[]>> {
  const byHousehold = new Map<number, EvidenceView[]>();
  if (householdIds.length === 0) return byHousehold;
  const rows = rowsOf<{
    household_id: string | number;
    id: string | number;
    file_name: string;
    content_type: string;
    size: number;
  }>(
    await db.execute(sql`SELECT e.household_id, de.id, de.file_name, de.content_type, de.size
      FROM distribution_evidence de JOIN distributions d ON d.id = de.distribution_id
      JOIN entitlements e ON e.id = d.entitlement_id
      WHERE e.cycle_id = ${cycleId} AND e.household_id IN (${sql.join(
        householdIds.map((id) => sql`${id}`),
        sql`, `,
      )}) ORDER BY de.id`),
  );
  for (const r of rows) {
    const key = Number(r.household_id);
    const list = byHousehold.get(key) ?? [];
    list.push(presentEvidence(r));
    byHousehold.set(key, list);
  }
  return byHousehold;
}

const presentEvidence = (r: {
  id: string | number;
  file_name: string;
  content_type: string;
  size: number;
}): EvidenceView => ({ id: Number(r.id), fileName: r.file_name, contentType: r.content_type, size: r.size });

/**
 * A delivery's evidence file for an officer whose scope holds the cycle and the household; the read is recorded in
 * the audit trail (who saw whose receipt), as every read of a household's file is.
 */
export async function readDistributionEvidence(
  db: DbOrTx,
  ctx: RequestContext,
  store: AttachmentStore,
  id: number,
) {
  const [row] = rowsOf<{
    file_name: string;
    content_type: string;
    sha256: string;
    distribution_id: string | number;
    cycle_id: string | number;
    household_id: string | number;
  }>(
    await db.execute(sql`SELECT de.file_name, de.content_type, de.sha256, de.distribution_id, e.cycle_id, e.household_id
      FROM distribution_evidence de JOIN distributions d ON d.id = de.distribution_id
      JOIN entitlements e ON e.id = d.entitlement_id WHERE de.id = ${id}`),
  );
  if (!row)
    throw notFound("evidence_not_found", {
      vi: `Không có tệp minh chứng số ${id}.`,
      en: `No evidence file ${id}.`,
    });
  const delivery = await deliveryOf(db, ctx, Number(row.cycle_id), Number(row.household_id), false);
  const bytes = await readStoredFile(store, row.sha256);
  await recordAudit(db, ctx, {
    action: "distribution.evidence_read",
    recordKind: "distribution",
    recordId: Number(row.distribution_id),
    unitCode: delivery.cycle.communeCode,
    after: { evidenceId: id, householdId: Number(row.household_id) },
  });
  return { fileName: row.file_name, contentType: row.content_type, bytes };
}
