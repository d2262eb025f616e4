import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** verified: checked against the legal text; unverified: believed but not checked; demo: made up for the demo. */
export const thresholdStatus = pgEnum("threshold_status", ["verified", "unverified", "demo"]);
export const standardComparison = pgEnum("standard_comparison", [">=", "<=", "=="]);

/**
 * A standard as versioned configuration: "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026–2030". Two
 * frameworks of one kind never overlap in validity (an exclusion constraint in migration 0013; 422 before it).
 */
export const standardFrameworks = pgTable(
  "standard_frameworks",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    code: text("code").notNull(),
    /** Frameworks of one kind replace each other over time (ntm_commune, health_station, …). */
    kind: text("kind").notNull(),
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en").notNull(),
    legalBasis: text("legal_basis"),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    validTo: date("valid_to", { mode: "string" }),
    /** The programme's target share of communes meeting the standard, in %. */
    programmeTargetPct: numeric("programme_target_pct"),
    programmeTargetNote: text("programme_target_note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    unique("standard_frameworks_code").on(t.code),
    check("standard_frameworks_interval", sql`${t.validTo} IS NULL OR ${t.validFrom} < ${t.validTo}`),
  ],
);

export const standardCriteria = pgTable(
  "standard_criteria",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    frameworkId: bigint("framework_id", { mode: "number" })
      .notNull()
      .references(() => standardFrameworks.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    code: text("code").notNull(),
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en").notNull(),
  },
  (t) => [unique("standard_criteria_code").on(t.frameworkId, t.code)],
);

/** An indicator or data element (a yes/no one included), compared with a threshold per commune group. */
export const standardRequirements = pgTable(
  "standard_requirements",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    criterionId: bigint("criterion_id", { mode: "number" })
      .notNull()
      .references(() => standardCriteria.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    dataCode: text("data_code").notNull(),
    comparison: standardComparison("comparison").notNull(),
  },
  (t) => [unique("standard_requirements_once").on(t.criterionId, t.dataCode)],
);

/** Vietnam's six socio-economic regions (migration 0016): reference data with stable codes. */
export const socioeconomicRegions = pgTable("socioeconomic_regions", {
  code: text("code").primaryKey(),
  position: integer("position").notNull(),
  nameVi: text("name_vi").notNull(),
  nameEn: text("name_en").notNull(),
});

/**
 * Each current province's region: configuration a system administrator changes (audited, optimistic version), read
 * by the evaluation. NULL where the region after the 2025 mergers is not certain.
 */
export const provinceRegions = pgTable("province_regions", {
  provinceCode: text("province_code").primaryKey(),
  regionCode: text("region_code").references(() => socioeconomicRegions.code, { onDelete: "restrict" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  version: integer("version").notNull().default(1),
});

/**
 * `all` applies to every commune; `region` (with `regionCode`) to the communes of the provinces of that region; a
 * group's own threshold (1, 2, 3) takes precedence over the region's, which takes precedence over `all`.
 */
export const standardThresholds = pgTable(
  "standard_thresholds",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    requirementId: bigint("requirement_id", { mode: "number" })
      .notNull()
      .references(() => standardRequirements.id, { onDelete: "cascade" }),
    communeGroup: text("commune_group").notNull(),
    regionCode: text("region_code").references(() => socioeconomicRegions.code, { onDelete: "restrict" }),
    value: numeric("value").notNull(),
    status: thresholdStatus("status").notNull(),
    source: text("source"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("standard_thresholds_once").on(
      t.requirementId,
      t.communeGroup,
      sql`coalesce(${t.regionCode}, '')`,
    ),
    check(
      "standard_thresholds_group",
      sql`(${t.communeGroup} IN ('all', '1', '2', '3') AND ${t.regionCode} IS NULL) OR (${t.communeGroup} = 'region' AND ${t.regionCode} IS NOT NULL)`,
    ),
  ],
);

/** A target for an indicator or element, for a unit and a period: "60 % of commune roads concreted by 2027". */
export const indicatorTargets = pgTable(
  "indicator_targets",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dataCode: text("data_code").notNull(),
    unitCode: text("unit_code").notNull(),
    period: text("period").notNull(),
    value: numeric("value").notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    unique("indicator_targets_once").on(t.dataCode, t.unitCode, t.period),
    index("indicator_targets_unit").on(t.unitCode),
  ],
);
