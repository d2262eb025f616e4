import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/client.ts";
import type { RequestContext } from "../access/actor.ts";
import { createDisaster, recordDamage } from "./disasters.ts";
import { recordDistribution, recordNotDelivered } from "./distributions.ts";
import { importSurveys } from "./files-review.ts";
import { importHouseholds } from "./import-households.ts";
import { indicatorLabels } from "./labels.ts";
import { addPolicyClass } from "./policy-classes.ts";
import { startReview, transitionReview } from "./reviews.ts";
import type { SheetRow } from "./sheets.ts";
import {
  addEntitlement,
  createCycle,
  createProgramme,
  proposeEntitlements,
  transitionCycle,
} from "./support.ts";
import { recordMeeting } from "./surveys.ts";

/** Xã Chiềng Khương (Sông Mã, Sơn La): the commune of the Sông Mã article, and of the demo commune officer. */
export const DEMO_HOUSEHOLD_COMMUNE = "04222";
const HOUSEHOLDS = 300;
const families = ["Lò", "Cầm", "Quàng", "Lường", "Tòng", "Vì", "Hoàng", "Điêu", "Lừ", "Sa"];
const men = [
  "Văn Pản",
  "Văn Xôm",
  "Văn Ỉn",
  "Văn Hặc",
  "Văn Khăm",
  "Văn Chiến",
  "Văn Nọi",
  "Văn Thanh",
  "Văn Lả",
  "Văn Phóng",
];
const women = [
  "Thị Ón",
  "Thị Phương",
  "Thị Xuân",
  "Thị Lan",
  "Thị Hoa",
  "Thị Mỷ",
  "Thị Ngần",
  "Thị Piếng",
  "Thị Xiêng",
  "Thị Un",
];

/** A small deterministic generator, so every demo load is the same (and obviously invented). */
function generator(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function cell(entries: Record<string, unknown>, row: number): SheetRow {
  return { row, cells: new Map(Object.entries(entries)) };
}

/**
 * Demo households of Chiềng Khương's six bản with a 2025 review awaiting the commune's approval; the Tết 2026 gift programme whose list holds
 * the 15 packages of the Sông Mã article (poor households and policy families); and the September 2025 flash flood with
 * its affected households and a relief cycle. All names are invented. Loads once: a second call finds them and stops.
 */
export async function loadDemoHouseholds(db: Db, ctx: RequestContext): Promise<{ households: number }> {
  const [existing] = rowsOf<{ n: string | number }>(
    await db.execute(sql`SELECT count(*) AS n FROM households WHERE code LIKE 'CK-%'`),
  );
  if (Number(existing?.n) > 0) return { households: 0 };
  const [village] = rowsOf<{ code: string }>(
    await db.execute(sql`SELECT code FROM unit_versions WHERE code = ${`${DEMO_HOUSEHOLD_COMMUNE}-01`}`),
  );
  if (!village) return { households: 0 };
  const random = generator(2025);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const rows: SheetRow[] = [];
  for (let h = 1; h <= HOUSEHOLDS; h++) {
    const code = `CK-${String(h).padStart(4, "0")}`;
    const villageCode = `${DEMO_HOUSEHOLD_COMMUNE}-${String(((h - 1) % 6) + 1).padStart(2, "0")}`;
    const family = pick(families);
    const headYear = 1950 + Math.floor(random() * 50);
    const base = { "Mã hộ": code, "Mã thôn/bản": villageCode, "Dân tộc": "Thái", "Số định danh cá nhân": "" };
    rows.push(
      cell(
        {
          ...base,
          "Họ và tên": `${family} ${pick(men)}`,
          "Quan hệ với chủ hộ": "Chủ hộ",
          "Năm sinh": headYear,
          "Giới tính": "Nam",
        },
        rows.length + 2,
      ),
    );
    rows.push(
      cell(
        {
          ...base,
          "Họ và tên": `${pick(families)} ${pick(women)}`,
          "Quan hệ với chủ hộ": "Vợ",
          "Năm sinh": headYear + 2,
          "Giới tính": "Nữ",
        },
        rows.length + 2,
      ),
    );
    const children = Math.floor(random() * 4);
    for (let c = 0; c < children; c++) {
      const female = random() < 0.5;
      rows.push(
        cell(
          {
            ...base,
            "Họ và tên": `${family} ${female ? pick(women) : pick(men)}`,
            "Quan hệ với chủ hộ": "Con",
            "Năm sinh": Math.min(2024, headYear + 22 + c * 2),
            "Giới tính": female ? "Nữ" : "Nam",
          },
          rows.length + 2,
        ),
      );
    }
  }
  await importHouseholds(db, ctx, rows);
  const ids = new Map(
    rowsOf<{ id: string | number; code: string }>(
      await db.execute(sql`SELECT id, code FROM households WHERE code LIKE 'CK-%' ORDER BY code`),
    ).map((r) => [r.code, Number(r.id)]),
  );

  // Policy families: war invalids and martyrs' families, from before 2026.
  const policyCodes = ["CK-0007", "CK-0019", "CK-0044", "CK-0102", "CK-0233"];
  for (const [i, code] of policyCodes.entries())
    await addPolicyClass(db, ctx, ids.get(code) ?? 0, {
      kind: i % 2 === 0 ? "war_invalid" : "martyr_family",
      validFrom: "2010-01-01",
      expectedVersion: 1,
    });

  // The 2025 review: about one household in five poor, one in eight near-poor (a mountain commune of Sông Mã).
  const review = await startReview(db, ctx, { communeCode: DEMO_HOUSEHOLD_COMMUNE, year: 2025 });
  const indicators = Object.keys(indicatorLabels).filter((k) => k !== "waste_treatment");
  const surveys = [...ids.keys()].map((code, i) => {
    const r = random();
    const perPersonMonth =
      r < 0.2
        ? 900_000 + Math.floor(random() * 500_000)
        : r < 0.33
          ? 1_200_000
          : 1_800_000 + Math.floor(random() * 2_000_000);
    const lackingCount =
      r < 0.2 ? 3 + Math.floor(random() * 3) : r < 0.33 ? Math.floor(random() * 3) : Math.floor(random() * 2);
    const lacking = [...indicators].sort(() => random() - 0.5).slice(0, lackingCount);
    const entries: Record<string, unknown> = {
      "Mã hộ": code,
      "Thu nhập cả năm của hộ (đồng)": perPersonMonth * 12 * 4,
    };
    for (const l of lacking) entries[indicatorLabels[l] ?? l] = "x";
    return cell(entries, i + 2);
  });
  await importSurveys(db, ctx, review.id, surveys);
  await recordMeeting(db, ctx, review.id, { agreeAll: true });
  await transitionReview(db, ctx, review.id, { action: "submit", expectedVersion: 1 });
  // Left awaiting the commune's approval: 04222 / 2025 belongs to the reporting demo (and its browser test), and the
  // approval would write this sample's counts over the commune's reported figures. It is the officer's to-do item.

  // Tết 2026 gifts: the 15 packages the delegation handed over, to poor households and policy families.
  const tet = await createProgramme(db, ctx, {
    name: "Quà Tết Nguyên đán 2026",
    funder: "Đoàn công tác tỉnh Sơn La (minh hoạ)",
    unitCode: DEMO_HOUSEHOLD_COMMUNE,
    eligiblePoor: true,
    eligiblePolicy: true,
    benefitKind: "package",
    benefitDescription: "Gói quà Tết",
  });
  const tetCycle = await createCycle(db, ctx, {
    programmeId: tet.id,
    name: "Trao quà Tết tại bản",
    communeCode: DEMO_HOUSEHOLD_COMMUNE,
    eligibilityDate: "2026-01-20",
  });
  const poor = rowsOf<{ household_id: string | number }>(
    await db.execute(sql`SELECT household_id FROM poverty_surveys WHERE review_id = ${review.id}
      AND coalesce(meeting_result, computed) = 'poor' ORDER BY household_id LIMIT 20`),
  ).map((r) => Number(r.household_id));
  const policyIds = policyCodes.map((c) => ids.get(c) ?? 0);
  const chosen = [...poor.filter((id) => !policyIds.includes(id)).slice(0, 10), ...policyIds];
  for (const householdId of chosen)
    await addEntitlement(db, ctx, tetCycle.id, {
      householdId,
      basis: poor.includes(householdId) ? "poor" : "policy",
    });
  await transitionCycle(db, ctx, tetCycle.id, { action: "submit", expectedVersion: 1 });
  await transitionCycle(db, ctx, tetCycle.id, { action: "approve", expectedVersion: 2 });
  for (const householdId of chosen.slice(0, 13))
    await recordDistribution(db, ctx, tetCycle.id, {
      householdId,
      deliveredOn: "2026-02-10",
      receivedBy: "Chủ hộ",
    });
  await recordNotDelivered(db, ctx, tetCycle.id, {
    householdId: chosen[13] ?? 0,
    reason: "absent",
    note: "Đi làm ăn xa, chưa về",
  });

  // The September 2025 flash flood, its damage and a relief cycle.
  const flood = await createDisaster(db, ctx, {
    name: "Lũ quét tháng 9/2025 (minh hoạ)",
    kind: "flash_flood",
    startedOn: "2025-09-18",
    endedOn: "2025-09-20",
    provinceCode: "14",
    // Mường Hung, the neighbouring commune, was struck too and has not reported yet: the province's view shows it.
    unitCodes: [DEMO_HOUSEHOLD_COMMUNE, "04219"],
  });
  const hit = [...ids.values()].filter((_, i) => i % 25 === 3);
  for (const [i, householdId] of hit.entries())
    await recordDamage(db, ctx, flood.id, {
      householdId,
      house: i % 4 === 0 ? "destroyed" : "damaged",
      peopleHurt: i % 5 === 0 ? 1 : 0,
      cropsHa: 0.2 + (i % 3) * 0.1,
      livestockLost: i % 3,
    });
  const relief = await createProgramme(db, ctx, {
    name: "Hỗ trợ khắc phục lũ quét tháng 9/2025",
    funder: "Ủy ban MTTQ Việt Nam tỉnh Sơn La (minh hoạ)",
    unitCode: DEMO_HOUSEHOLD_COMMUNE,
    disasterId: flood.id,
    benefitKind: "cash",
    benefitAmount: 3_000_000,
  });
  const reliefCycle = await createCycle(db, ctx, {
    programmeId: relief.id,
    name: "Đợt 1",
    communeCode: DEMO_HOUSEHOLD_COMMUNE,
    eligibilityDate: "2025-09-25",
  });
  await proposeEntitlements(db, ctx, reliefCycle.id);
  await transitionCycle(db, ctx, reliefCycle.id, { action: "submit", expectedVersion: 1 });
  return { households: ids.size };
}
