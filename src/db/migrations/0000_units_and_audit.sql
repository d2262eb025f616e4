CREATE TYPE "public"."lineage_kind" AS ENUM('full', 'partial');--> statement-breakpoint
CREATE TYPE "public"."unit_event_kind" AS ENUM('establish', 'merge', 'split', 'rename', 'change_parent', 'abolish', 'reorganize');--> statement-breakpoint
CREATE TYPE "public"."unit_kind" AS ENUM('centrally_run_city', 'province', 'urban_district', 'rural_district', 'town', 'provincial_city', 'ward', 'commune', 'township', 'special_zone', 'village');--> statement-breakpoint
CREATE TYPE "public"."unit_level" AS ENUM('province', 'district', 'commune', 'village');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"record_kind" text NOT NULL,
	"record_id" text NOT NULL,
	"unit_code" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "lineage_edges" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "lineage_edges_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"predecessor_id" bigint NOT NULL,
	"successor_id" bigint NOT NULL,
	"kind" "lineage_kind" NOT NULL,
	"share" numeric(7, 6),
	"event_id" bigint NOT NULL,
	CONSTRAINT "lineage_edges_pair" UNIQUE("predecessor_id","successor_id"),
	CONSTRAINT "lineage_edges_share" CHECK ("lineage_edges"."share" IS NULL OR ("lineage_edges"."share" > 0 AND "lineage_edges"."share" <= 1)),
	CONSTRAINT "lineage_edges_full_share" CHECK ("lineage_edges"."kind" = 'partial' OR "lineage_edges"."share" IS NULL OR "lineage_edges"."share" = 1),
	CONSTRAINT "lineage_edges_not_self" CHECK ("lineage_edges"."predecessor_id" <> "lineage_edges"."successor_id")
);
--> statement-breakpoint
CREATE TABLE "reference_imports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reference_imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dataset" text NOT NULL,
	"checksum" text NOT NULL,
	"counts" jsonb NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_event_versions" (
	"event_id" bigint NOT NULL,
	"version_id" bigint NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "unit_event_versions_pk" UNIQUE("event_id","version_id","role")
);
--> statement-breakpoint
CREATE TABLE "unit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "unit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" "unit_event_kind" NOT NULL,
	"effective_date" date NOT NULL,
	"document" text,
	"clause" text,
	"note" text,
	"source_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_events_source_key" UNIQUE("source_key")
);
--> statement-breakpoint
CREATE TABLE "unit_versions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "unit_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"search_text" text NOT NULL,
	"level" "unit_level" NOT NULL,
	"kind" "unit_kind" NOT NULL,
	"parent_code" text,
	"valid_from" date,
	"valid_to" date,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_versions_code_from" UNIQUE NULLS NOT DISTINCT("code","valid_from"),
	CONSTRAINT "unit_versions_interval" CHECK ("unit_versions"."valid_to" IS NULL OR "unit_versions"."valid_from" IS NULL OR "unit_versions"."valid_from" < "unit_versions"."valid_to")
);
--> statement-breakpoint
ALTER TABLE "lineage_edges" ADD CONSTRAINT "lineage_edges_predecessor_id_unit_versions_id_fk" FOREIGN KEY ("predecessor_id") REFERENCES "public"."unit_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lineage_edges" ADD CONSTRAINT "lineage_edges_successor_id_unit_versions_id_fk" FOREIGN KEY ("successor_id") REFERENCES "public"."unit_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lineage_edges" ADD CONSTRAINT "lineage_edges_event_id_unit_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."unit_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_event_versions" ADD CONSTRAINT "unit_event_versions_event_id_unit_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."unit_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_event_versions" ADD CONSTRAINT "unit_event_versions_version_id_unit_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."unit_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_record" ON "audit_events" USING btree ("record_kind","record_id");--> statement-breakpoint
CREATE INDEX "audit_events_at" ON "audit_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "lineage_edges_successor" ON "lineage_edges" USING btree ("successor_id");--> statement-breakpoint
CREATE INDEX "unit_versions_parent" ON "unit_versions" USING btree ("parent_code");