-- Data integrity of reported values (issue 8): the lock every writer and every report transition takes, versions
-- that never go back, and the staging area of file imports. See docs/architecture.md, "Reporting".

-- One row per (unit version, period): the values of one unit for one period. Every writer of such values locks its
-- row FOR SHARE inside its transaction before it checks anything; every report transition (submit, approve, unlock…)
-- locks it FOR UPDATE. So a save or an import and a submission or approval of any report covering the same values
-- are serialised on rows that always exist (a report row may not exist yet when a value is first typed).
-- import_id: an import applying its values in several short transactions claims the row for that time; other
-- writers and transitions are refused (409) until it has finished or been undone.
CREATE TABLE "value_sets" (
	"unit_version_id" bigint NOT NULL,
	"period" text NOT NULL,
	"import_id" bigint,
	CONSTRAINT "value_sets_pkey" PRIMARY KEY("unit_version_id","period")
);
--> statement-breakpoint
ALTER TABLE "value_sets" ADD CONSTRAINT "value_sets_unit_version_id_unit_versions_id_fk" FOREIGN KEY ("unit_version_id") REFERENCES "public"."unit_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "value_sets_import" ON "value_sets" USING btree ("import_id") WHERE "import_id" IS NOT NULL;--> statement-breakpoint
-- The last version of a value that was cleared (deleted), so that typing it again continues from there: a writer who
-- saw the old value then gets 409 instead of silently winning (clear-and-retype, "ABA").
CREATE TABLE "data_value_tombstones" (
	"element_id" bigint NOT NULL,
	"unit_version_id" bigint NOT NULL,
	"period" text NOT NULL,
	"version" integer NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_value_tombstones_pkey" PRIMARY KEY("element_id","unit_version_id","period")
);
--> statement-breakpoint
-- Written by the database on every delete, whoever deletes (one statement per statement, like the change log).
CREATE FUNCTION "data_value_tombstones_record"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "data_value_tombstones" ("element_id", "unit_version_id", "period", "version")
  SELECT "element_id", "unit_version_id", "period", "version" FROM "old_rows"
  ON CONFLICT ("element_id", "unit_version_id", "period")
  DO UPDATE SET "version" = greatest("data_value_tombstones"."version", excluded."version"), "deleted_at" = now();
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "data_values_tombstones" AFTER DELETE ON "data_values"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "data_value_tombstones_record"();--> statement-breakpoint
-- A file import: checked into the staging rows first (short statements), then claimed, applied in short
-- transactions and released; an import that stops half-way is undone from the staging rows (status 'applying').
CREATE TABLE "value_imports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "value_imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor_id" text NOT NULL,
	"status" text DEFAULT 'staging' NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"applied_through" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_imports_status" CHECK ("value_imports"."status" IN ('staging', 'applying', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "value_import_rows" (
	"import_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"source_row" integer NOT NULL,
	"element_id" bigint NOT NULL,
	"element_code" text NOT NULL,
	"unit_version_id" bigint NOT NULL,
	"unit_code" text NOT NULL,
	"period" text NOT NULL,
	"form_id" bigint NOT NULL,
	"value" text NOT NULL,
	"numeric_value" numeric,
	"comment" text,
	"has_comment" boolean NOT NULL,
	"value_column" text NOT NULL,
	"had_before" boolean DEFAULT false NOT NULL,
	"before_value" text,
	"before_numeric" numeric,
	"before_comment" text,
	"before_version" integer,
	"new_version" integer,
	"changed" boolean DEFAULT true NOT NULL,
	CONSTRAINT "value_import_rows_pkey" PRIMARY KEY("import_id","seq")
);

