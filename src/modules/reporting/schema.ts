import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { unitVersions } from "../units/schema.ts";

export const valueType = pgEnum("value_type", ["number", "integer", "percentage", "boolean", "text"]);
export const aggregationRule = pgEnum("aggregation_rule", ["sum", "average", "last", "min", "max", "none"]);
export const periodType = pgEnum("period_type", ["yearly", "sixMonthly", "quarterly", "monthly"]);
export const ruleOperator = pgEnum("rule_operator", ["==", "!=", "<", "<=", ">", ">="]);
export const ruleImportance = pgEnum("rule_importance", ["high", "medium", "low"]);
export const reportStatus = pgEnum("report_status", ["draft", "submitted", "approved", "returned"]);

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  /** Bumped by every change; a change naming an older version is refused with 409. */
  version: integer("version").notNull().default(1),
};

/** What is counted or measured: "Chiều dài đường xã đã cứng hoá (km)". */
export const dataElements = pgTable("data_elements", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  code: text("code").notNull().unique(),
  nameVi: text("name_vi").notNull(),
  nameEn: text("name_en").notNull(),
  valueType: valueType("value_type").notNull(),
  unitOfMeasure: text("unit_of_measure"),
  aggregation: aggregationRule("aggregation").notNull(),
  description: text("description"),
  /** The province that owns it (its code); null: national, edited only by the system administrator. */
  ownerUnitCode: text("owner_unit_code"),
  ...timestamps,
});

/** numerator / denominator × factor, both expressions over data elements (see expression.ts). */
export const indicators = pgTable("indicators", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  code: text("code").notNull().unique(),
  nameVi: text("name_vi").notNull(),
  nameEn: text("name_en").notNull(),
  numerator: text("numerator").notNull(),
  denominator: text("denominator").notNull(),
  factor: numeric("factor").notNull(),
  decimals: integer("decimals").notNull(),
  higherIsBetter: boolean("higher_is_better").notNull(),
  /** The province that owns it (its code); null: national, edited only by the system administrator. */
  ownerUnitCode: text("owner_unit_code"),
  ...timestamps,
});

/** left operator right, e.g. #{ROAD_KM_CONCRETE} <= #{ROAD_KM_TOTAL}. */
export const validationRules = pgTable("validation_rules", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  code: text("code").notNull().unique(),
  left: text("left_side").notNull(),
  operator: ruleOperator("operator").notNull(),
  right: text("right_side").notNull(),
  importance: ruleImportance("importance").notNull(),
  messageVi: text("message_vi").notNull(),
  messageEn: text("message_en").notNull(),
  /** The province that owns it (its code); null: national, edited only by the system administrator. */
  ownerUnitCode: text("owner_unit_code"),
  ...timestamps,
});

export const forms = pgTable("forms", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  code: text("code").notNull().unique(),
  nameVi: text("name_vi").notNull(),
  nameEn: text("name_en").notNull(),
  periodType: periodType("period_type").notNull(),
  /** Reports are due this many days after the period ends. */
  deadlineDays: integer("deadline_days").notNull(),
  /** Demo content: the UI labels it as illustrative. */
  isIllustrative: boolean("is_illustrative").notNull().default(false),
  /** The province that owns it (its code); null: national, edited only by the system administrator. */
  ownerUnitCode: text("owner_unit_code"),
  /** How deadlineDays reads: days after the period's end, or day N of the month after the period (the same count). */
  deadlineRule: text("deadline_rule", { enum: ["days_after_end", "day_of_next_month"] })
    .notNull()
    .default("days_after_end"),
  /** Share (0–1) of expected units below which an aggregate of this form is marked partial. */
  coverageThreshold: numeric("coverage_threshold").notNull().default("0.8"),
  /** The entry screen warns when a value moves by more than this factor from the previous period (> 1). */
  changeFactor: numeric("change_factor").notNull().default("2"),
  /** A retired form takes no new reports; what was reported stays readable. */
  retiredAt: timestamp("retired_at", { withTimezone: true }),
  ...timestamps,
});

export const formSections = pgTable(
  "form_sections",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    formId: bigint("form_id", { mode: "number" })
      .notNull()
      .references(() => forms.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en").notNull(),
  },
  (t) => [unique("form_sections_position").on(t.formId, t.position)],
);

export const formElements = pgTable(
  "form_elements",
  {
    sectionId: bigint("section_id", { mode: "number" })
      .notNull()
      .references(() => formSections.id, { onDelete: "cascade" }),
    formId: bigint("form_id", { mode: "number" })
      .notNull()
      .references(() => forms.id, { onDelete: "cascade" }),
    elementId: bigint("element_id", { mode: "number" })
      .notNull()
      .references(() => dataElements.id),
    position: integer("position").notNull(),
  },
  (t) => [unique("form_elements_once").on(t.formId, t.elementId)],
);

/**
 * Units that report a form, by code. The reporting unit for a period is the version of that code valid on the
 * period's last day, so a yearly 2025 report of 04168 belongs to Xã Sông Mã, a 2014 one to Thị trấn Sông Mã.
 */
export const formUnits = pgTable(
  "form_units",
  {
    formId: bigint("form_id", { mode: "number" })
      .notNull()
      .references(() => forms.id, { onDelete: "cascade" }),
    unitCode: text("unit_code").notNull(),
  },
  (t) => [unique("form_units_once").on(t.formId, t.unitCode), index("form_units_code").on(t.unitCode)],
);

/** One value of one element for one unit version and period. History lives in the audit trail. */
export const dataValues = pgTable(
  "data_values",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // Keys of data_elements and unit_versions, checked once per statement by triggers (migration 0017), not by
    // constraints checked once per row: a bulk write of values pays for its keys per statement.
    elementId: bigint("element_id", { mode: "number" }).notNull(),
    unitVersionId: bigint("unit_version_id", { mode: "number" }).notNull(),
    period: text("period").notNull(),
    /** Canonical text of the value ("12.5", "true", free text). */
    value: text("value").notNull(),
    /** The value as a number for numeric types and yes/no (1/0), for analytics. */
    numericValue: numeric("numeric_value"),
    comment: text("comment"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("data_values_key").on(t.elementId, t.unitVersionId, t.period),
    index("data_values_unit_period").on(t.unitVersionId, t.period),
  ],
);

/** The state of one form for one unit version and period: draft → submitted → approved, or returned. */
export const reports = pgTable(
  "reports",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    formId: bigint("form_id", { mode: "number" })
      .notNull()
      .references(() => forms.id),
    unitVersionId: bigint("unit_version_id", { mode: "number" })
      .notNull()
      .references(() => unitVersions.id),
    period: text("period").notNull(),
    status: reportStatus("status").notNull().default("draft"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    /** Actor ids as in the audit trail (a user id, or "system:…" for the CLI). */
    submittedBy: text("submitted_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedBy: text("decided_by"),
    returnReason: text("return_reason"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("reports_key").on(t.formId, t.unitVersionId, t.period),
    check("reports_return_reason", sql`${t.status} <> 'returned' OR ${t.returnReason} IS NOT NULL`),
  ],
);

/**
 * The values of one unit version for one period, as a row to lock (migration 0007): every writer of those values
 * locks it FOR SHARE before checking anything, every report transition FOR UPDATE (see value-locks.ts). `importId`
 * marks a file import that is applying its values in several short transactions; other writers wait it out (409).
 */
export const valueSets = pgTable(
  "value_sets",
  {
    unitVersionId: bigint("unit_version_id", { mode: "number" })
      .notNull()
      .references(() => unitVersions.id),
    period: text("period").notNull(),
    importId: bigint("import_id", { mode: "number" }),
  },
  (t) => [
    primaryKey({ name: "value_sets_pkey", columns: [t.unitVersionId, t.period] }),
    index("value_sets_import").on(t.importId).where(sql`${t.importId} IS NOT NULL`),
  ],
);

/** The last version of a cleared value, written by a trigger on delete: typing it again continues from there. */
export const dataValueTombstones = pgTable(
  "data_value_tombstones",
  {
    elementId: bigint("element_id", { mode: "number" }).notNull(),
    unitVersionId: bigint("unit_version_id", { mode: "number" }).notNull(),
    period: text("period").notNull(),
    version: integer("version").notNull(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "data_value_tombstones_pkey", columns: [t.elementId, t.unitVersionId, t.period] }),
  ],
);

/** A file import in progress or finished: staging → applying (claimed, in short transactions) → done | failed. */
export const valueImports = pgTable(
  "value_imports",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: text("actor_id").notNull(),
    status: text("status", { enum: ["staging", "applying", "done", "failed"] })
      .notNull()
      .default("staging"),
    rows: integer("rows").notNull().default(0),
    /** Staging rows up to this seq are written to data_values (undone from there if the import stops). */
    appliedThrough: integer("applied_through").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("value_imports_status", sql`${t.status} IN ('staging', 'applying', 'done', 'failed')`)],
);

/** The checked rows of an import, with the values they replace (to skip unchanged ones and to undo). */
export const valueImportRows = pgTable(
  "value_import_rows",
  {
    importId: bigint("import_id", { mode: "number" }).notNull(),
    seq: integer("seq").notNull(),
    sourceRow: integer("source_row").notNull(),
    elementId: bigint("element_id", { mode: "number" }).notNull(),
    elementCode: text("element_code").notNull(),
    unitVersionId: bigint("unit_version_id", { mode: "number" }).notNull(),
    unitCode: text("unit_code").notNull(),
    period: text("period").notNull(),
    formId: bigint("form_id", { mode: "number" }).notNull(),
    value: text("value").notNull(),
    numericValue: numeric("numeric_value"),
    comment: text("comment"),
    hasComment: boolean("has_comment").notNull(),
    valueColumn: text("value_column").notNull(),
    hadBefore: boolean("had_before").notNull().default(false),
    beforeValue: text("before_value"),
    beforeNumeric: numeric("before_numeric"),
    beforeComment: text("before_comment"),
    beforeVersion: integer("before_version"),
    newVersion: integer("new_version"),
    changed: boolean("changed").notNull().default(true),
  },
  (t) => [primaryKey({ name: "value_import_rows_pkey", columns: [t.importId, t.seq] })],
);

/**
 * One row (id 1) whose version a statement trigger bumps on every change to forms, their sections, elements and
 * units, data elements and validation rules (migration 0018): data entry caches form definitions and rules by it.
 */
export const catalogueVersion = pgTable("catalogue_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});
