import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

export const proposalCategory = pgEnum("proposal_category", [
  "staffing_quota",
  "public_investment",
  "infrastructure_project",
  "headquarters",
  "policy",
  "other",
]);
export const proposalStatus = pgEnum("proposal_status", [
  "received",
  "assigned",
  "under_review",
  "answered",
  "closed",
]);
export const proposalOutcome = pgEnum("proposal_outcome", [
  "accepted",
  "partly_accepted",
  "not_accepted",
  "noted",
]);
export const directionPriority = pgEnum("direction_priority", ["high", "normal", "low"]);
export const extensionStatus = pgEnum("extension_status", ["pending", "approved", "refused"]);

const changeTracking = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  /** Bumped by every change; a change naming an older version is refused with 409. */
  version: integer("version").notNull().default(1),
};

/**
 * A working session (buổi làm việc): a provincial delegation meets communes. `issuerUnitCode` is the unit whose
 * leaders chair it (the province); the conclusion notice is issued in its name.
 */
export const meetings = pgTable("meetings", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  title: text("title").notNull(),
  heldOn: date("held_on").notNull(),
  place: text("place").notNull(),
  issuerUnitCode: text("issuer_unit_code").notNull(),
  /** The issuing body of the conclusion notice, e.g. "Ban Thường vụ Tỉnh ủy Sơn La". */
  issuingBody: text("issuing_body").notNull(),
  /** The body above it, printed over it in the notice's header, e.g. "Đảng bộ tỉnh Sơn La"; may be empty. */
  parentBody: text("parent_body").notNull().default(""),
  chairName: text("chair_name").notNull(),
  chairPosition: text("chair_position").notNull(),
  agenda: text("agenda").notNull().default(""),
  minutes: text("minutes").notNull().default(""),
  /** The conclusion notice: number, symbol ("TB/TU"), date; set when it is issued. */
  noticeNumber: text("notice_number"),
  noticeSymbol: text("notice_symbol"),
  noticeDate: date("notice_date"),
  signerName: text("signer_name"),
  signerTitle: text("signer_title"),
  recipients: text("recipients").notNull().default(""),
  isIllustrative: boolean("is_illustrative").notNull().default(false),
  createdBy: text("created_by").notNull(),
  ...changeTracking,
});

export const meetingDelegates = pgTable(
  "meeting_delegates",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    meetingId: bigint("meeting_id", { mode: "number" })
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
  },
  (t) => [index("meeting_delegates_meeting_idx").on(t.meetingId)],
);

/** A unit taking part, with the report it presented and a snapshot of its indicators on the meeting's date. */
export const meetingUnits = pgTable(
  "meeting_units",
  {
    meetingId: bigint("meeting_id", { mode: "number" })
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    unitCode: text("unit_code").notNull(),
    unitName: text("unit_name").notNull(),
    position: integer("position").notNull(),
    report: text("report").notNull().default(""),
    snapshot: jsonb("snapshot").notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.unitCode] }), index("meeting_units_unit_idx").on(t.unitCode)],
);

/** A proposal (kiến nghị) of a unit to the province; the answer is drafted, then published deliberately. */
export const proposals = pgTable(
  "proposals",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    unitCode: text("unit_code").notNull(),
    unitName: text("unit_name").notNull(),
    issuerUnitCode: text("issuer_unit_code").notNull(),
    meetingId: bigint("meeting_id", { mode: "number" }).references(() => meetings.id),
    category: proposalCategory("category").notNull(),
    content: text("content").notNull(),
    amount: numeric("amount"),
    amountUnit: text("amount_unit"),
    receivedOn: date("received_on").notNull(),
    status: proposalStatus("status").notNull().default("received"),
    assignedTo: text("assigned_to"),
    answerDue: date("answer_due"),
    draftOutcome: proposalOutcome("draft_outcome"),
    draftAnswer: text("draft_answer"),
    outcome: proposalOutcome("outcome"),
    answer: text("answer"),
    answeredOn: date("answered_on"),
    isIllustrative: boolean("is_illustrative").notNull().default(false),
    createdBy: text("created_by").notNull(),
    ...changeTracking,
  },
  (t) => [
    index("proposals_unit_idx").on(t.unitCode),
    index("proposals_meeting_idx").on(t.meetingId),
    check("proposals_answer_due_check", sql`${t.answerDue} IS NULL OR ${t.answerDue} >= ${t.receivedOn}`),
  ],
);

/** Every step of a proposal, in order: what the history view shows. */
export const proposalEvents = pgTable(
  "proposal_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    proposalId: bigint("proposal_id", { mode: "number" })
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    fromStatus: proposalStatus("from_status"),
    toStatus: proposalStatus("to_status").notNull(),
    note: text("note"),
    /** Steps the proposing unit may see (drafting an answer is not one of them). */
    isPublic: boolean("is_public").notNull().default(true),
  },
  (t) => [index("proposal_events_proposal_idx").on(t.proposalId)],
);

/**
 * A direction (nhiệm vụ) from a source document, followed to completion. Status is never stored: it is computed
 * when read from the due date (or an approved extension), the completion day and today (Decision 42/2014/QĐ-TTg).
 */
export const directions = pgTable(
  "directions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    parentId: bigint("parent_id", { mode: "number" }).references((): AnyPgColumn => directions.id, {
      onDelete: "cascade",
    }),
    meetingId: bigint("meeting_id", { mode: "number" }).references(() => meetings.id),
    issuerUnitCode: text("issuer_unit_code").notNull(),
    sourceNumber: text("source_number").notNull(),
    sourceDate: date("source_date").notNull(),
    sourceBody: text("source_body").notNull(),
    content: text("content").notNull(),
    leadUnitCode: text("lead_unit_code").notNull(),
    leadUnitName: text("lead_unit_name").notNull(),
    cooperatingUnits: jsonb("cooperating_units").notNull().$type<Array<{ code: string; name: string }>>(),
    dueDate: date("due_date").notNull(),
    /** The due date of the last approved extension, which replaces the original one. */
    extendedDue: date("extended_due"),
    priority: directionPriority("priority").notNull().default("normal"),
    weight: numeric("weight").notNull().default("1"),
    progress: integer("progress").notNull().default(0),
    completedOn: date("completed_on"),
    isIllustrative: boolean("is_illustrative").notNull().default(false),
    createdBy: text("created_by").notNull(),
    ...changeTracking,
  },
  (t) => [
    index("directions_lead_idx").on(t.leadUnitCode),
    index("directions_parent_idx").on(t.parentId),
    index("directions_meeting_idx").on(t.meetingId),
    check("directions_due_after_source_check", sql`${t.dueDate} >= ${t.sourceDate}`),
    check("directions_progress_check", sql`${t.progress} BETWEEN 0 AND 100`),
    check("directions_weight_check", sql`${t.weight} > 0`),
  ],
);

export const progressReports = pgTable(
  "direction_progress_reports",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    directionId: bigint("direction_id", { mode: "number" })
      .notNull()
      .references(() => directions.id, { onDelete: "cascade" }),
    reportedOn: date("reported_on").notNull(),
    percent: integer("percent").notNull(),
    narrative: text("narrative").notNull(),
    /** Why progress went down, when it did. */
    reason: text("reason"),
    reportedBy: text("reported_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("progress_reports_direction_idx").on(t.directionId),
    check("direction_progress_reports_percent_check", sql`${t.percent} BETWEEN 0 AND 100`),
  ],
);

export const extensionRequests = pgTable(
  "direction_extension_requests",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    directionId: bigint("direction_id", { mode: "number" })
      .notNull()
      .references(() => directions.id, { onDelete: "cascade" }),
    requestedDue: date("requested_due").notNull(),
    reason: text("reason").notNull(),
    status: extensionStatus("status").notNull().default("pending"),
    requestedBy: text("requested_by").notNull(),
    requestedOn: date("requested_on").notNull(),
    decidedBy: text("decided_by"),
    decidedOn: date("decided_on"),
    decisionNote: text("decision_note"),
  },
  (t) => [index("extension_requests_direction_idx").on(t.directionId)],
);

/** A file attached to a progress report (evidence), stored by checksum in the attachments folder. */
export const attachments = pgTable(
  "session_attachments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ownerKind: text("owner_kind").notNull(),
    ownerId: bigint("owner_id", { mode: "number" }).notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("session_attachments_owner_idx").on(t.ownerKind, t.ownerId)],
);
