import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { unitVersions } from "../units/schema.ts";

/**
 * A household of a village (thôn/bản). `commune_code` is the village's commune, kept beside it for scope checks and
 * set-based work per commune. Deleting is soft, with a reason (personal data: the record of what was kept stays).
 */
export const households = pgTable(
  "households",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    code: text("code").notNull(),
    villageCode: text("village_code").notNull(),
    communeCode: text("commune_code").notNull(),
    address: text("address"),
    headName: text("head_name").notNull(),
    /** The head's name, lower case without diacritics, for search and duplicate detection. */
    headSearch: text("head_search").notNull(),
    headBirthYear: integer("head_birth_year"),
    /**
     * "|head|full name|given name|…|" of the current members, without diacritics: the name search's one condition
     * (trigram index). Kept by a trigger on household_members (migration 0022); a bulk import writes it itself.
     */
    searchDoc: text("search_doc").notNull().default(""),
    /** NULL: on the commune's books since before our records (an import without dates). */
    registeredOn: date("registered_on", { mode: "string" }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletedReason: text("deleted_reason"),
    deletedBy: text("deleted_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    unique("households_code_key").on(t.code),
    index("households_village").on(t.villageCode),
    index("households_commune").on(t.communeCode),
    index("households_head_search").on(t.headSearch, t.id),
    index("households_commune_head").on(t.communeCode, t.headSearch, t.id),
    index("households_search_doc").using("gin", sql`${t.searchDoc} gin_trgm_ops`),
    check("households_deleted_reason", sql`${t.deletedAt} IS NULL OR ${t.deletedReason} IS NOT NULL`),
  ],
);

/**
 * A person's membership of a household over [joined_on, left_on). One citizen ID is a current member of at most one
 * household: a partial unique index (migration 0012) holds it for every path that writes.
 */
export const householdMembers = pgTable(
  "household_members",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    householdId: bigint("household_id", { mode: "number" })
      .notNull()
      .references(() => households.id),
    fullName: text("full_name").notNull(),
    searchName: text("search_name").notNull(),
    /** The given name (the last word of a Vietnamese name), without diacritics: "nguyen van an" → "an". */
    searchGiven: text("search_given").notNull(),
    relation: text("relation").notNull(),
    birthYear: integer("birth_year").notNull(),
    birthDate: date("birth_date", { mode: "string" }),
    sex: text("sex").notNull(),
    ethnicity: text("ethnicity"),
    citizenId: text("citizen_id"),
    /** NULL: a member since before our records. */
    joinedOn: date("joined_on", { mode: "string" }),
    joinReason: text("join_reason").notNull(),
    leftOn: date("left_on", { mode: "string" }),
    leaveReason: text("leave_reason"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("household_members_one_current")
      .on(t.citizenId)
      .where(sql`${t.leftOn} IS NULL AND ${t.citizenId} IS NOT NULL`),
    index("household_members_household").on(t.householdId),
    index("household_members_citizen").on(t.citizenId).where(sql`${t.citizenId} IS NOT NULL`),
  ],
);

/**
 * The shape of an import's staging table: each import streams its rows into an unlogged table of its own made LIKE
 * this one, checks them set-wise and merges them in one transaction, then drops it (import-households.ts).
 */
export const householdImportRows = pgTable("household_import_rows", {
  rowNumber: integer("row_number").notNull(),
  householdCode: text("household_code").notNull(),
  villageCode: text("village_code").notNull(),
  fullName: text("full_name").notNull(),
  searchName: text("search_name").notNull(),
  searchGiven: text("search_given").notNull(),
  relation: text("relation").notNull(),
  birthYear: integer("birth_year").notNull(),
  sex: text("sex").notNull(),
  ethnicity: text("ethnicity"),
  citizenId: text("citizen_id"),
});

/** Policy-beneficiary classifications (war invalids, martyrs' families …): dated, separate from poverty. */
export const householdPolicyClasses = pgTable(
  "household_policy_classes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    householdId: bigint("household_id", { mode: "number" })
      .notNull()
      .references(() => households.id),
    kind: text("kind").notNull(),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    validTo: date("valid_to", { mode: "string" }),
    note: text("note"),
  },
  (t) => [index("household_policy_classes_household").on(t.householdId)],
);

/** A suspected duplicate pair, decided by a person (keep both, merge, move a member), never guessed. */
export const householdDuplicates = pgTable(
  "household_duplicates",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    householdA: bigint("household_a", { mode: "number" })
      .notNull()
      .references(() => households.id),
    householdB: bigint("household_b", { mode: "number" })
      .notNull()
      .references(() => households.id),
    communeCode: text("commune_code").notNull(),
    reason: text("reason").notNull(),
    status: text("status").notNull().default("open"),
    decisionNote: text("decision_note"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    unique("household_duplicates_pair").on(t.householdA, t.householdB),
    index("household_duplicates_commune").on(t.communeCode, t.status),
  ],
);

/** A poverty standard in force for a span of years, national (province_code NULL) or a province's stricter one. */
export const povertyStandards = pgTable(
  "poverty_standards",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    code: text("code").notNull(),
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en").notNull(),
    legalBasis: text("legal_basis").notNull(),
    provinceCode: text("province_code"),
    fromYear: integer("from_year").notNull(),
    toYear: integer("to_year").notNull(),
    /** VND per person per month. */
    ruralThreshold: integer("rural_threshold").notNull(),
    urbanThreshold: integer("urban_threshold").notNull(),
    indicators: text("indicators").array().notNull(),
    poorMinLacking: integer("poor_min_lacking").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [unique("poverty_standards_code_key").on(t.code)],
);

/** The annual review of one commune: surveying → awaiting_approval → approved (locks the year; reopen with reason). */
export const povertyReviews = pgTable(
  "poverty_reviews",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    communeCode: text("commune_code").notNull(),
    /** The commune version valid on `as_of`: the year's figures stay with the unit it was then. */
    communeVersionId: bigint("commune_version_id", { mode: "number" })
      .notNull()
      .references(() => unitVersions.id),
    year: integer("year").notNull(),
    asOf: date("as_of", { mode: "string" }).notNull(),
    standardId: bigint("standard_id", { mode: "number" })
      .notNull()
      .references(() => povertyStandards.id),
    isUrban: boolean("is_urban").notNull(),
    status: text("status").notNull().default("surveying"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    submittedBy: text("submitted_by"),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    approvedBy: text("approved_by"),
    reopenReason: text("reopen_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [unique("poverty_reviews_once").on(t.communeCode, t.year)],
);

/** One household's survey in one review: inputs, the computed class and why, and the village meeting's result. */
export const povertySurveys = pgTable(
  "poverty_surveys",
  {
    reviewId: bigint("review_id", { mode: "number" })
      .notNull()
      .references(() => povertyReviews.id, { onDelete: "cascade" }),
    householdId: bigint("household_id", { mode: "number" })
      .notNull()
      .references(() => households.id),
    villageCode: text("village_code").notNull(),
    villageVersionId: bigint("village_version_id", { mode: "number" }).references(() => unitVersions.id),
    membersCounted: integer("members_counted").notNull().default(0),
    /** VND per year for the whole household. */
    annualIncome: bigint("annual_income", { mode: "number" }),
    incomePerPersonMonth: numeric("income_per_person_month"),
    lacking: text("lacking").array().notNull().default(sql`'{}'`),
    computed: text("computed"),
    explanation: jsonb("explanation"),
    meetingResult: text("meeting_result"),
    meetingNote: text("meeting_note"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    primaryKey({ name: "poverty_surveys_pk", columns: [t.reviewId, t.householdId] }),
    index("poverty_surveys_household").on(t.householdId),
  ],
);

export const disasters = pgTable("disasters", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  name: text("name").notNull(),
  kind: text("kind").notNull(),
  startedOn: date("started_on", { mode: "string" }).notNull(),
  endedOn: date("ended_on", { mode: "string" }),
  provinceCode: text("province_code").notNull(),
  unitCodes: text("unit_codes").array().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  version: integer("version").notNull().default(1),
});

export const disasterDamages = pgTable(
  "disaster_damages",
  {
    disasterId: bigint("disaster_id", { mode: "number" })
      .notNull()
      .references(() => disasters.id),
    householdId: bigint("household_id", { mode: "number" })
      .notNull()
      .references(() => households.id),
    communeCode: text("commune_code").notNull(),
    peopleHurt: integer("people_hurt").notNull().default(0),
    house: text("house").notNull().default("none"),
    cropsHa: numeric("crops_ha").notNull().default("0"),
    livestockLost: integer("livestock_lost").notNull().default(0),
    note: text("note"),
    recordedBy: text("recorded_by").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    primaryKey({ name: "disaster_damages_pk", columns: [t.disasterId, t.householdId] }),
    index("disaster_damages_household").on(t.householdId),
  ],
);

export const supportProgrammes = pgTable("support_programmes", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  name: text("name").notNull(),
  funder: text("funder").notNull(),
  /** The unit that runs it (a province or a commune); its cycles are per commune under it. */
  unitCode: text("unit_code").notNull(),
  eligiblePoor: boolean("eligible_poor").notNull().default(false),
  eligibleNearPoor: boolean("eligible_near_poor").notNull().default(false),
  eligiblePolicy: boolean("eligible_policy").notNull().default(false),
  disasterId: bigint("disaster_id", { mode: "number" }).references(() => disasters.id),
  benefitKind: text("benefit_kind").notNull(),
  /** VND per household (cash), 0 for goods and packages. */
  benefitAmount: bigint("benefit_amount", { mode: "number" }).notNull().default(0),
  benefitDescription: text("benefit_description"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  version: integer("version").notNull().default(1),
});

export const supportCycles = pgTable(
  "support_cycles",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    programmeId: bigint("programme_id", { mode: "number" })
      .notNull()
      .references(() => supportProgrammes.id),
    name: text("name").notNull(),
    communeCode: text("commune_code").notNull(),
    eligibilityDate: date("eligibility_date", { mode: "string" }).notNull(),
    status: text("status").notNull().default("draft"),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    approvedBy: text("approved_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("support_cycles_commune").on(t.communeCode, t.status)],
);

/** A household's place on a cycle's list. UNIQUE (cycle, household): nobody is listed, so paid, twice. */
export const entitlements = pgTable(
  "entitlements",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    cycleId: bigint("cycle_id", { mode: "number" })
      .notNull()
      .references(() => supportCycles.id),
    householdId: bigint("household_id", { mode: "number" })
      .notNull()
      .references(() => households.id),
    quantity: integer("quantity").notNull().default(1),
    amount: bigint("amount", { mode: "number" }).notNull().default(0),
    basis: text("basis").notNull(),
    /** absent | moved | refused | died | other (older rows may hold free text). */
    notDeliveredReason: text("not_delivered_reason"),
    notDeliveredNote: text("not_delivered_note"),
    /** Why an officer put the household on the list by hand (the proposal missed it). */
    addedReason: text("added_reason"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("entitlements_once").on(t.cycleId, t.householdId),
    index("entitlements_household").on(t.householdId),
  ],
);

export const distributions = pgTable(
  "distributions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    entitlementId: bigint("entitlement_id", { mode: "number" })
      .notNull()
      .references(() => entitlements.id),
    deliveredOn: date("delivered_on", { mode: "string" }).notNull(),
    receivedBy: text("received_by").notNull(),
    quantity: integer("quantity").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull().default(0),
    note: text("note"),
    evidenceFile: text("evidence_file"),
    recordedBy: text("recorded_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("distributions_once").on(t.entitlementId)],
);

/**
 * A household taken off a cycle's list before approval, with the reason. Kept apart from `entitlements` so every
 * count of a list stays a count of its rows, and so proposing the list again does not bring the household back.
 */
export const entitlementRemovals = pgTable(
  "entitlement_removals",
  {
    cycleId: bigint("cycle_id", { mode: "number" })
      .notNull()
      .references(() => supportCycles.id),
    householdId: bigint("household_id", { mode: "number" })
      .notNull()
      .references(() => households.id),
    reason: text("reason").notNull(),
    removedBy: text("removed_by").notNull(),
    removedAt: timestamp("removed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "entitlement_removals_pk", columns: [t.cycleId, t.householdId] })],
);

/** A commune's word that its damage from an event is all recorded (none, or every household): the view's coverage. */
export const disasterReports = pgTable(
  "disaster_reports",
  {
    disasterId: bigint("disaster_id", { mode: "number" })
      .notNull()
      .references(() => disasters.id),
    communeCode: text("commune_code").notNull(),
    reportedBy: text("reported_by").notNull(),
    reportedAt: timestamp("reported_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "disaster_reports_pk", columns: [t.disasterId, t.communeCode] })],
);

/**
 * A file kept as evidence of a delivery (the receipt photo, the signed list), stored by its SHA-256 in the attachments
 * folder. Its own table rather than working sessions' owner-kind table: a foreign key to the distribution keeps every
 * file tied to a delivery that exists, and households' personal data stays in households' tables.
 */
export const distributionEvidence = pgTable(
  "distribution_evidence",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    distributionId: bigint("distribution_id", { mode: "number" })
      .notNull()
      .references(() => distributions.id),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("distribution_evidence_distribution_idx").on(t.distributionId)],
);
