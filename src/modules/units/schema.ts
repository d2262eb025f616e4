import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";

export const unitLevel = pgEnum("unit_level", ["province", "district", "commune", "village"]);

/** Kinds as named in Vietnamese law; the level says where a unit sits, the kind what it is called. */
export const unitKind = pgEnum("unit_kind", [
  "centrally_run_city", // thành phố trực thuộc trung ương
  "province", // tỉnh
  "urban_district", // quận
  "rural_district", // huyện
  "town", // thị xã
  "provincial_city", // thành phố thuộc tỉnh
  "ward", // phường
  "commune", // xã
  "township", // thị trấn
  "special_zone", // đặc khu
  "village", // thôn, bản, tổ dân phố
]);

export const unitEventKind = pgEnum("unit_event_kind", [
  "establish",
  "merge",
  "split",
  "rename",
  "change_parent",
  "abolish",
  "reorganize",
]);

export const lineageKind = pgEnum("lineage_kind", ["full", "partial"]);

/**
 * One version of an administrative unit. A unit is identified over time by its code plus its validity interval
 * [valid_from, valid_to): codes are reused by successors (04168 was Thị trấn Sông Mã, then Xã Sông Mã).
 * valid_from NULL means "since before our records"; valid_to NULL means "still valid".
 * The parent is a code resolved at the same date, so renaming a province does not rewrite its communes.
 * No two versions of one code overlap: an exclusion constraint in migration 0001 enforces it in the database.
 */
export const unitVersions = pgTable(
  "unit_versions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    /** Lower-case name and code without diacritics, for search that ignores them. */
    searchText: text("search_text").notNull(),
    level: unitLevel("level").notNull(),
    kind: unitKind("kind").notNull(),
    parentCode: text("parent_code"),
    validFrom: date("valid_from", { mode: "string" }),
    validTo: date("valid_to", { mode: "string" }),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    /**
     * New-style rural commune group (Decision 51/2025/QĐ-TTg): 1 near-urban, 2 the rest, 3 Area II–III ethnic-minority
     * and mountainous. Set explicitly on each version (migration 0013, modules/standards); never copied by a change.
     */
    communeGroup: smallint("commune_group"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("unit_versions_code_from").on(t.code, t.validFrom).nullsNotDistinct(),
    index("unit_versions_parent").on(t.parentCode),
    check(
      "unit_versions_interval",
      sql`${t.validTo} IS NULL OR ${t.validFrom} IS NULL OR ${t.validFrom} < ${t.validTo}`,
    ),
  ],
);

/** A change to the map: what happened, when it took effect and under which legal document. */
export const unitEvents = pgTable(
  "unit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: unitEventKind("kind").notNull(),
    effectiveDate: date("effective_date", { mode: "string" }).notNull(),
    document: text("document"),
    clause: text("clause"),
    note: text("note"),
    /** A stable key for events loaded from a reference dataset, so that importing it twice changes nothing. */
    sourceKey: text("source_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("unit_events_source_key").on(t.sourceKey)],
);

/** Which version an event opened or closed. */
export const unitEventVersions = pgTable(
  "unit_event_versions",
  {
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => unitEvents.id),
    versionId: bigint("version_id", { mode: "number" })
      .notNull()
      .references(() => unitVersions.id),
    role: text("role", { enum: ["opened", "closed"] }).notNull(),
  },
  (t) => [unique("unit_event_versions_pk").on(t.eventId, t.versionId, t.role)],
);

/**
 * Predecessor → successor. A full edge moves the whole of the predecessor (or all that remained of it);
 * a partial edge moves a part, whose share is declared when known and left NULL (never guessed) when not.
 */
export const lineageEdges = pgTable(
  "lineage_edges",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    predecessorId: bigint("predecessor_id", { mode: "number" })
      .notNull()
      .references(() => unitVersions.id),
    successorId: bigint("successor_id", { mode: "number" })
      .notNull()
      .references(() => unitVersions.id),
    kind: lineageKind("kind").notNull(),
    share: numeric("share", { precision: 7, scale: 6 }),
    /** What a declared share rests on: "dân số 2024", "diện tích" (migration 0014). */
    shareBasis: text("share_basis"),
    /** Bumped by each share declaration; a declaration naming an older version is refused with 409. */
    version: integer("version").notNull().default(1),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => unitEvents.id),
  },
  (t) => [
    unique("lineage_edges_pair").on(t.predecessorId, t.successorId),
    index("lineage_edges_successor").on(t.successorId),
    check("lineage_edges_share", sql`${t.share} IS NULL OR (${t.share} > 0 AND ${t.share} <= 1)`),
    check("lineage_edges_full_share", sql`${t.kind} = 'partial' OR ${t.share} IS NULL OR ${t.share} = 1`),
    check("lineage_edges_not_self", sql`${t.predecessorId} <> ${t.successorId}`),
  ],
);

/** Each load of a reference dataset, with what it found. */
export const referenceImports = pgTable("reference_imports", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  dataset: text("dataset").notNull(),
  checksum: text("checksum").notNull(),
  counts: jsonb("counts").$type<Record<string, number>>().notNull(),
  importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
});
