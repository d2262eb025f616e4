-- Standards and targets (issue 12): frameworks as versioned configuration, criteria, requirements, thresholds per
-- commune group, indicator targets, and the commune group as an attribute of the unit version.
ALTER TABLE "unit_versions" ADD COLUMN "commune_group" smallint;--> statement-breakpoint
ALTER TABLE "unit_versions" ADD CONSTRAINT "unit_versions_commune_group" CHECK ("commune_group" IS NULL OR "commune_group" BETWEEN 1 AND 3);--> statement-breakpoint
CREATE TYPE "public"."threshold_status" AS ENUM('verified', 'unverified', 'demo');--> statement-breakpoint
CREATE TYPE "public"."standard_comparison" AS ENUM('>=', '<=', '==');--> statement-breakpoint
CREATE TABLE "standard_frameworks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "standard_frameworks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"legal_basis" text,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"programme_target_pct" numeric,
	"programme_target_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "standard_frameworks_code" UNIQUE("code"),
	CONSTRAINT "standard_frameworks_interval" CHECK ("valid_to" IS NULL OR "valid_from" < "valid_to"),
	CONSTRAINT "standard_frameworks_target" CHECK ("programme_target_pct" IS NULL OR ("programme_target_pct" >= 0 AND "programme_target_pct" <= 100)),
	CONSTRAINT "standard_frameworks_no_overlap" EXCLUDE USING gist ("kind" WITH =, daterange("valid_from", "valid_to", '[)') WITH &&)
);--> statement-breakpoint
CREATE TABLE "standard_criteria" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "standard_criteria_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"framework_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"code" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	CONSTRAINT "standard_criteria_code" UNIQUE("framework_id","code")
);--> statement-breakpoint
CREATE TABLE "standard_requirements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "standard_requirements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"criterion_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"data_code" text NOT NULL,
	"comparison" "standard_comparison" NOT NULL,
	CONSTRAINT "standard_requirements_once" UNIQUE("criterion_id","data_code")
);--> statement-breakpoint
CREATE TABLE "standard_thresholds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "standard_thresholds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"requirement_id" bigint NOT NULL,
	"commune_group" text NOT NULL,
	"value" numeric NOT NULL,
	"status" "threshold_status" NOT NULL,
	"source" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "standard_thresholds_once" UNIQUE("requirement_id","commune_group"),
	CONSTRAINT "standard_thresholds_group" CHECK ("commune_group" IN ('all', '1', '2', '3'))
);--> statement-breakpoint
CREATE TABLE "indicator_targets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "indicator_targets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"data_code" text NOT NULL,
	"unit_code" text NOT NULL,
	"period" text NOT NULL,
	"value" numeric NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "indicator_targets_once" UNIQUE("data_code","unit_code","period")
);--> statement-breakpoint
ALTER TABLE "standard_criteria" ADD CONSTRAINT "standard_criteria_framework_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."standard_frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standard_requirements" ADD CONSTRAINT "standard_requirements_criterion_id_fk" FOREIGN KEY ("criterion_id") REFERENCES "public"."standard_criteria"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standard_thresholds" ADD CONSTRAINT "standard_thresholds_requirement_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."standard_requirements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "indicator_targets_unit" ON "indicator_targets" USING btree ("unit_code");
