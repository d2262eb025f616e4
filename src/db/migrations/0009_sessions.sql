CREATE TYPE "public"."proposal_category" AS ENUM('staffing_quota', 'public_investment', 'infrastructure_project', 'headquarters', 'policy', 'other');--> statement-breakpoint
CREATE TYPE "public"."proposal_status" AS ENUM('received', 'assigned', 'under_review', 'answered', 'closed');--> statement-breakpoint
CREATE TYPE "public"."proposal_outcome" AS ENUM('accepted', 'partly_accepted', 'not_accepted', 'noted');--> statement-breakpoint
CREATE TYPE "public"."direction_priority" AS ENUM('high', 'normal', 'low');--> statement-breakpoint
CREATE TYPE "public"."extension_status" AS ENUM('pending', 'approved', 'refused');--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "meetings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"place" text NOT NULL,
	"issuer_unit_code" text NOT NULL,
	"issuing_body" text NOT NULL,
	"parent_body" text DEFAULT '' NOT NULL,
	"chair_name" text NOT NULL,
	"chair_position" text NOT NULL,
	"agenda" text DEFAULT '' NOT NULL,
	"minutes" text DEFAULT '' NOT NULL,
	"notice_number" text,
	"notice_symbol" text,
	"notice_date" date,
	"signer_name" text,
	"signer_title" text,
	"recipients" text DEFAULT '' NOT NULL,
	"is_illustrative" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_delegates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "meeting_delegates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"meeting_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_units" (
	"meeting_id" bigint NOT NULL,
	"unit_code" text NOT NULL,
	"unit_name" text NOT NULL,
	"position" integer NOT NULL,
	"report" text DEFAULT '' NOT NULL,
	"snapshot" jsonb NOT NULL,
	CONSTRAINT "meeting_units_meeting_id_unit_code_pk" PRIMARY KEY("meeting_id","unit_code")
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "proposals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"unit_code" text NOT NULL,
	"unit_name" text NOT NULL,
	"issuer_unit_code" text NOT NULL,
	"meeting_id" bigint,
	"category" "proposal_category" NOT NULL,
	"content" text NOT NULL,
	"amount" numeric,
	"amount_unit" text,
	"received_on" date NOT NULL,
	"status" "proposal_status" DEFAULT 'received' NOT NULL,
	"assigned_to" text,
	"answer_due" date,
	"draft_outcome" "proposal_outcome",
	"draft_answer" text,
	"outcome" "proposal_outcome",
	"answer" text,
	"answered_on" date,
	"is_illustrative" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "proposals_answer_due_check" CHECK ("answer_due" IS NULL OR "answer_due" >= "received_on")
);
--> statement-breakpoint
CREATE TABLE "proposal_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "proposal_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"proposal_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"from_status" "proposal_status",
	"to_status" "proposal_status" NOT NULL,
	"note" text,
	"is_public" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "directions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"parent_id" bigint,
	"meeting_id" bigint,
	"issuer_unit_code" text NOT NULL,
	"source_number" text NOT NULL,
	"source_date" date NOT NULL,
	"source_body" text NOT NULL,
	"content" text NOT NULL,
	"lead_unit_code" text NOT NULL,
	"lead_unit_name" text NOT NULL,
	"cooperating_units" jsonb NOT NULL,
	"due_date" date NOT NULL,
	"extended_due" date,
	"priority" "direction_priority" DEFAULT 'normal' NOT NULL,
	"weight" numeric DEFAULT '1' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"completed_on" date,
	"is_illustrative" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "directions_due_after_source_check" CHECK ("due_date" >= "source_date"),
	CONSTRAINT "directions_progress_check" CHECK ("progress" BETWEEN 0 AND 100),
	CONSTRAINT "directions_weight_check" CHECK ("weight" > 0)
);
--> statement-breakpoint
CREATE TABLE "direction_progress_reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "direction_progress_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"direction_id" bigint NOT NULL,
	"reported_on" date NOT NULL,
	"percent" integer NOT NULL,
	"narrative" text NOT NULL,
	"reason" text,
	"reported_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "direction_progress_reports_percent_check" CHECK ("percent" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "direction_extension_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "direction_extension_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"direction_id" bigint NOT NULL,
	"requested_due" date NOT NULL,
	"reason" text NOT NULL,
	"status" "extension_status" DEFAULT 'pending' NOT NULL,
	"requested_by" text NOT NULL,
	"requested_on" date NOT NULL,
	"decided_by" text,
	"decided_on" date,
	"decision_note" text
);
--> statement-breakpoint
CREATE TABLE "session_attachments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "session_attachments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"owner_kind" text NOT NULL,
	"owner_id" bigint NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meeting_delegates" ADD CONSTRAINT "meeting_delegates_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_units" ADD CONSTRAINT "meeting_units_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_events" ADD CONSTRAINT "proposal_events_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directions" ADD CONSTRAINT "directions_parent_id_directions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."directions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directions" ADD CONSTRAINT "directions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "direction_progress_reports" ADD CONSTRAINT "direction_progress_reports_direction_id_directions_id_fk" FOREIGN KEY ("direction_id") REFERENCES "public"."directions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "direction_extension_requests" ADD CONSTRAINT "direction_extension_requests_direction_id_directions_id_fk" FOREIGN KEY ("direction_id") REFERENCES "public"."directions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_delegates_meeting_idx" ON "meeting_delegates" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "meeting_units_unit_idx" ON "meeting_units" USING btree ("unit_code");--> statement-breakpoint
CREATE INDEX "proposals_unit_idx" ON "proposals" USING btree ("unit_code");--> statement-breakpoint
CREATE INDEX "proposals_meeting_idx" ON "proposals" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "proposal_events_proposal_idx" ON "proposal_events" USING btree ("proposal_id");--> statement-breakpoint
CREATE INDEX "directions_lead_idx" ON "directions" USING btree ("lead_unit_code");--> statement-breakpoint
CREATE INDEX "directions_parent_idx" ON "directions" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "directions_meeting_idx" ON "directions" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "progress_reports_direction_idx" ON "direction_progress_reports" USING btree ("direction_id");--> statement-breakpoint
CREATE INDEX "extension_requests_direction_idx" ON "direction_extension_requests" USING btree ("direction_id");--> statement-breakpoint
CREATE INDEX "session_attachments_owner_idx" ON "session_attachments" USING btree ("owner_kind","owner_id");
