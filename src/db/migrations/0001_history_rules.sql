-- Rules the database itself keeps, whatever code writes to it.
-- 1. No two versions of one unit code overlap in time (codes are reused, but only one after the other).
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "unit_versions" ADD CONSTRAINT "unit_versions_no_overlap"
  EXCLUDE USING gist ("code" WITH =, daterange("valid_from", "valid_to", '[)') WITH &&);--> statement-breakpoint
-- 2. The audit trail is append-only: no UPDATE, DELETE or TRUNCATE, from any role that uses the application schema.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'GR001';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();--> statement-breakpoint
-- 3. Search by name prefix / infix over diacritics-free text stays cheap as the registry grows (villages).
CREATE INDEX "unit_versions_search" ON "unit_versions" ("search_text" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "unit_versions_level_validity" ON "unit_versions" ("level", "valid_from", "valid_to");
