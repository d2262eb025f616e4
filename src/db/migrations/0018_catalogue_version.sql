-- One counter of the reporting catalogue (forms, their sections, elements and units, data elements, validation rules),
-- bumped once per statement that changes any of them: a server caches form definitions and rules for data entry by
-- this number and reads only it per save, so a change made by any process is seen by the very next save (issue 14).
CREATE TABLE "catalogue_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);--> statement-breakpoint
INSERT INTO "catalogue_version" ("id", "version") VALUES (1, 0);--> statement-breakpoint
CREATE FUNCTION "catalogue_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "catalogue_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "forms_catalogue_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "forms"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_version_bump"();--> statement-breakpoint
CREATE TRIGGER "form_sections_catalogue_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "form_sections"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_version_bump"();--> statement-breakpoint
CREATE TRIGGER "form_elements_catalogue_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "form_elements"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_version_bump"();--> statement-breakpoint
CREATE TRIGGER "form_units_catalogue_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "form_units"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_version_bump"();--> statement-breakpoint
CREATE TRIGGER "data_elements_catalogue_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "data_elements"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_version_bump"();--> statement-breakpoint
CREATE TRIGGER "validation_rules_catalogue_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "validation_rules"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalogue_version_bump"();
