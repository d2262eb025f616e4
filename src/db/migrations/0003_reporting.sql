CREATE TYPE "public"."aggregation_rule" AS ENUM('sum', 'average', 'last', 'min', 'max', 'none');--> statement-breakpoint
CREATE TYPE "public"."period_type" AS ENUM('yearly', 'sixMonthly', 'quarterly', 'monthly');--> statement-breakpoint
CREATE TYPE "public"."report_status" AS ENUM('draft', 'submitted', 'approved', 'returned');--> statement-breakpoint
CREATE TYPE "public"."rule_importance" AS ENUM('high', 'medium', 'low');--> statement-breakpoint
CREATE TYPE "public"."rule_operator" AS ENUM('==', '!=', '<', '<=', '>', '>=');--> statement-breakpoint
CREATE TYPE "public"."value_type" AS ENUM('number', 'integer', 'percentage', 'boolean', 'text');--> statement-breakpoint
CREATE TABLE "data_elements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "data_elements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"value_type" "value_type" NOT NULL,
	"unit_of_measure" text,
	"aggregation" "aggregation_rule" NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "data_elements_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "data_values" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "data_values_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"element_id" bigint NOT NULL,
	"unit_version_id" bigint NOT NULL,
	"period" text NOT NULL,
	"value" text NOT NULL,
	"numeric_value" numeric,
	"comment" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "form_elements" (
	"section_id" bigint NOT NULL,
	"form_id" bigint NOT NULL,
	"element_id" bigint NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "form_elements_once" UNIQUE("form_id","element_id")
);
--> statement-breakpoint
CREATE TABLE "form_sections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "form_sections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"form_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	CONSTRAINT "form_sections_position" UNIQUE("form_id","position")
);
--> statement-breakpoint
CREATE TABLE "form_units" (
	"form_id" bigint NOT NULL,
	"unit_code" text NOT NULL,
	CONSTRAINT "form_units_once" UNIQUE("form_id","unit_code")
);
--> statement-breakpoint
CREATE TABLE "forms" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"period_type" "period_type" NOT NULL,
	"deadline_days" integer NOT NULL,
	"is_illustrative" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "forms_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "indicators_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"numerator" text NOT NULL,
	"denominator" text NOT NULL,
	"factor" numeric NOT NULL,
	"decimals" integer NOT NULL,
	"higher_is_better" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "indicators_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"form_id" bigint NOT NULL,
	"unit_version_id" bigint NOT NULL,
	"period" text NOT NULL,
	"status" "report_status" DEFAULT 'draft' NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" text,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"return_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "reports_return_reason" CHECK ("reports"."status" <> 'returned' OR "reports"."return_reason" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "validation_rules" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "validation_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"left_side" text NOT NULL,
	"operator" "rule_operator" NOT NULL,
	"right_side" text NOT NULL,
	"importance" "rule_importance" NOT NULL,
	"message_vi" text NOT NULL,
	"message_en" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "validation_rules_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "data_values" ADD CONSTRAINT "data_values_element_id_data_elements_id_fk" FOREIGN KEY ("element_id") REFERENCES "public"."data_elements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_values" ADD CONSTRAINT "data_values_unit_version_id_unit_versions_id_fk" FOREIGN KEY ("unit_version_id") REFERENCES "public"."unit_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_elements" ADD CONSTRAINT "form_elements_section_id_form_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."form_sections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_elements" ADD CONSTRAINT "form_elements_form_id_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_elements" ADD CONSTRAINT "form_elements_element_id_data_elements_id_fk" FOREIGN KEY ("element_id") REFERENCES "public"."data_elements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_sections" ADD CONSTRAINT "form_sections_form_id_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_units" ADD CONSTRAINT "form_units_form_id_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_form_id_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."forms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_unit_version_id_unit_versions_id_fk" FOREIGN KEY ("unit_version_id") REFERENCES "public"."unit_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "data_values_key" ON "data_values" USING btree ("element_id","unit_version_id","period");--> statement-breakpoint
CREATE INDEX "data_values_unit_period" ON "data_values" USING btree ("unit_version_id","period");--> statement-breakpoint
CREATE INDEX "form_units_code" ON "form_units" USING btree ("unit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_key" ON "reports" USING btree ("form_id","unit_version_id","period");