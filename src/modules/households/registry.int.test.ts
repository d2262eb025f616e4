import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { RequestContext } from "../access/actor.ts";
import { decideDuplicate, listDuplicates } from "./duplicates.ts";
import { getHousehold, householdCounts, searchHouseholds } from "./queries.ts";
import { addMember, createHousehold, recordLeave } from "./registry.ts";
import { actorFor, citizenId, head, household, member } from "./test-fixtures.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let officer: RequestContext;
let province: RequestContext;
let viewer: RequestContext;

beforeAll(async () => {
  database = await openTestDatabase();
  officer = await actorFor(db(), "ck.households", "commune_officer", "04222");
  province = await actorFor(db(), "sl.households", "province_officer", "14");
  viewer = await actorFor(db(), "sl.viewer.households", "viewer", "14");
});
afterAll(async () => {
  await database.drop();
});

describe("household registry", () => {
  it("registers a household in a village of the officer's commune", async () => {
    const made = await household(db(), officer, "04222-01", "Lò Văn Pản");
    const file = await getHousehold(db(), officer, made.id);
    expect([file.communeCode, file.villageCode, file.members.length]).toEqual(["04222", "04222-01", 4]);
  });

  it("refuses a citizen ID that is checksum-free garbage, naming the member", async () => {
    await expect(
      createHousehold(db(), officer, {
        villageCode: "04222-01",
        members: [head("Cầm Văn Xôm", 1980, { citizenId: "123456789012" })],
      }),
    ).rejects.toMatchObject({
      status: 422,
      code: "invalid_citizen_id",
      details: { fields: [{ field: "members.0.citizenId" }] },
    });
  });

  it("refuses a citizen ID of the wrong length", async () => {
    await expect(
      createHousehold(db(), officer, {
        villageCode: "04222-01",
        members: [head("Cầm Văn Xôm", 1980, { citizenId: "01408000001" })],
      }),
    ).rejects.toMatchObject({ status: 422, code: "invalid_citizen_id" });
  });

  it("refuses a person as a current member of two households, naming both", async () => {
    const id = citizenId(1990, "female");
    const first = await createHousehold(db(), officer, {
      villageCode: "04222-02",
      members: [head("Quàng Văn Ỉn"), member("Lường Thị Ón", 1990, { relation: "spouse", citizenId: id })],
    });
    const second = await household(db(), officer, "04222-02", "Tòng Văn Hặc", 1);
    const refusal = await addMember(db(), officer, second.id, {
      ...member("Lường Thị Ón", 1990, { citizenId: id }),
      expectedVersion: second.version,
    }).catch((e) => e);
    expect([refusal.status, refusal.details.households]).toEqual([409, [first.code, second.code]]);
  });

  it("lets a member who left join another household", async () => {
    const id = citizenId(1995, "female");
    const first = await createHousehold(db(), officer, {
      villageCode: "04222-02",
      registeredOn: "2020-01-01",
      members: [head("Lò Văn Khăm"), member("Lò Thị Phương", 1995, { citizenId: id })],
    });
    const file = await getHousehold(db(), officer, first.id);
    const leaving = file.members.find((m) => m.fullName === "Lò Thị Phương");
    await recordLeave(db(), officer, leaving?.id ?? 0, {
      leftOn: "2024-05-01",
      reason: "marriage",
      expectedVersion: file.version,
    });
    const other = await household(db(), officer, "04222-03", "Lừ Văn Pấng", 1);
    const added = await addMember(db(), officer, other.id, {
      ...member("Lò Thị Phương", 1995, {
        citizenId: id,
        relation: "spouse",
        joinReason: "marriage",
        joinedOn: "2024-05-01",
      }),
      expectedVersion: other.version,
    });
    expect(added.id).toBeGreaterThan(0);
  });

  it("finds a household by a member's name typed without diacritics", async () => {
    await household(db(), officer, "04222-04", "Hoàng Thị Mỷ", 2);
    const found = await searchHouseholds(db(), officer, { q: "hoang thi my" });
    expect(found.items.map((h) => h.headName)).toContain("Hoàng Thị Mỷ");
  });

  it("finds a household by a member's given name with diacritics", async () => {
    const found = await searchHouseholds(db(), officer, { q: "Mỷ" });
    expect(found.items.map((h) => h.headName)).toContain("Hoàng Thị Mỷ");
  });

  it("finds a household by a member added after it was registered", async () => {
    const made = await household(db(), officer, "04222-04", "Quàng Văn Nọi", 1);
    await addMember(db(), officer, made.id, {
      ...member("Quàng Thị Piếng", 2001),
      expectedVersion: made.version,
    });
    const found = await searchHouseholds(db(), officer, { q: "quang thi pieng" });
    expect(found.items.map((h) => h.id)).toEqual([made.id]);
  });

  it("no longer finds a household by the name of a member who left it", async () => {
    const made = await createHousehold(db(), officer, {
      villageCode: "04222-05",
      registeredOn: "2020-01-01",
      members: [head("Cầm Văn Xiêng"), member("Cầm Thị Ngần Rời", 1999)],
    });
    const file = await getHousehold(db(), officer, made.id);
    const leaving = file.members.find((m) => m.fullName === "Cầm Thị Ngần Rời");
    await recordLeave(db(), officer, leaving?.id ?? 0, {
      leftOn: "2024-05-01",
      reason: "moved_out",
      expectedVersion: file.version,
    });
    const [byLeaver, byHead] = [
      await searchHouseholds(db(), officer, { q: "Cầm Thị Ngần Rời" }),
      await searchHouseholds(db(), officer, { q: "cam van xieng" }),
    ];
    expect([byLeaver.items.length, byHead.items.map((h) => h.id)]).toEqual([0, [made.id]]);
  });

  it("does not match a middle name as if it began a name", async () => {
    await household(db(), officer, "04222-06", "Sa Đức Ón", 3);
    const found = await searchHouseholds(db(), officer, { q: "duc on" });
    expect(found.items.map((h) => h.headName)).not.toContain("Sa Đức Ón");
  });

  it("finds a household by a current member's citizen ID", async () => {
    const id = citizenId(1970, "male");
    const made = await createHousehold(db(), officer, {
      villageCode: "04222-05",
      members: [head("Vì Văn Thanh", 1970, { citizenId: id })],
    });
    const found = await searchHouseholds(db(), officer, { q: id });
    expect(found.items.map((h) => h.id)).toEqual([made.id]);
  });

  it("queues a household whose head has the same name, birth year and village for review", async () => {
    await household(db(), officer, "04222-06", "Lò Văn Nọi", 2);
    const again = await createHousehold(db(), officer, {
      villageCode: "04222-06",
      members: [head("LÒ VĂN  NỌI")],
    });
    expect(again.duplicatesQueued).toBe(1);
  });

  it("merges a duplicate pair on a person's decision and audits it", async () => {
    const [pair] = await listDuplicates(db(), officer, "04222");
    const keep = pair?.households[0]?.id ?? 0;
    await decideDuplicate(db(), officer, pair?.id ?? 0, {
      decision: "merge",
      keepHouseholdId: keep,
      expectedVersion: 1,
    });
    const audit = rowsOf<{ action: string }>(
      await db().execute(
        sql`SELECT action FROM audit_events WHERE record_kind = 'household_duplicate' AND record_id = ${String(pair?.id)}`,
      ),
    );
    const gone = await getHousehold(db(), officer, pair?.households[1]?.id ?? 0);
    expect([audit.map((a) => a.action), gone.deleted?.reason]).toEqual([
      ["household.duplicate_decide"],
      `merged into ${pair?.households[0]?.code}`,
    ]);
  });
});

describe("personal data", () => {
  it("shows a province officer the citizen ID masked and no birth date", async () => {
    const id = citizenId(1985, "female");
    const made = await createHousehold(db(), officer, {
      villageCode: "04222-03",
      members: [head("Lường Thị Xuân", 1985, { sex: "female", citizenId: id, birthDate: "1985-03-02" })],
    });
    const file = await getHousehold(db(), province, made.id);
    expect([file.members[0]?.citizenId, file.members[0]?.birthDate]).toEqual([
      `*********${id.slice(-3)}`,
      null,
    ]);
  });

  it("shows the commune's officer the full citizen ID", async () => {
    const id = citizenId(1986, "female");
    const made = await createHousehold(db(), officer, {
      villageCode: "04222-03",
      members: [head("Lường Thị Xuyến", 1986, { sex: "female", citizenId: id })],
    });
    const file = await getHousehold(db(), officer, made.id);
    expect(file.members[0]?.citizenId).toBe(id);
  });

  it("records who read a household's file", async () => {
    const made = await household(db(), officer, "04222-03", "Cà Văn Lả", 1);
    await getHousehold(db(), province, made.id);
    const reads = rowsOf<{ actor_id: string }>(
      await db().execute(
        sql`SELECT actor_id FROM audit_events WHERE action = 'household.read' AND record_id = ${String(made.id)}`,
      ),
    );
    expect(reads.map((r) => r.actor_id)).toEqual([province.actor.kind === "user" ? province.actor.id : ""]);
  });

  it("refuses a viewer the household list", async () => {
    const app = testApp(db(), { actor: viewer.actor });
    const res = await app.request("/api/v1/households?commune=04222");
    expect(res.status).toBe(403);
  });

  it("gives a viewer the counts", async () => {
    const counts = await householdCounts(db(), viewer, "04222");
    expect(counts.households).toBeGreaterThan(5);
  });
});
