-- Households at provincial scale (issue 11, "Scale": 300,000 households, 1.2 M members).
-- 1. Name search: one search document per household, "|head|full name|given name|…|" of its current members (lower
--    case, without diacritics, as the application writes search_name), with a trigram index, so a name prefix is one
--    condition on households instead of an OR over 1.2 M members. pg_trgm ships with PostgreSQL's contrib and with
--    PGlite (@electric-sql/pglite/contrib/pg_trgm, loaded by src/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "search_doc" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE FUNCTION "household_search_doc"(hid bigint) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT '|' || h.head_search || '|' || coalesce((
    SELECT string_agg(m.search_name || '|' || m.search_given, '|' ORDER BY m.id) || '|'
    FROM household_members m WHERE m.household_id = hid AND m.left_on IS NULL), '')
  FROM households h WHERE h.id = hid
$$;--> statement-breakpoint
UPDATE "households" SET "search_doc" = household_search_doc("id");--> statement-breakpoint
-- Kept by the database for every path that changes members (register, add, leave, move, merge, delete), one UPDATE per
-- statement. A bulk import writes the documents itself and sets grassroots.household_bulk_import for its transaction.
CREATE FUNCTION "household_members_refresh_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('grassroots.household_bulk_import', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    UPDATE households h SET search_doc = household_search_doc(h.id)
    WHERE h.id IN (SELECT DISTINCT household_id FROM changed_new);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE households h SET search_doc = household_search_doc(h.id)
    WHERE h.id IN (SELECT DISTINCT household_id FROM changed_old);
  ELSE
    UPDATE households h SET search_doc = household_search_doc(h.id)
    WHERE h.id IN (SELECT household_id FROM changed_new UNION SELECT household_id FROM changed_old);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "household_members_search_inserted" AFTER INSERT ON "household_members"
  REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "household_members_refresh_search"();--> statement-breakpoint
CREATE TRIGGER "household_members_search_updated" AFTER UPDATE ON "household_members"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "household_members_refresh_search"();--> statement-breakpoint
CREATE TRIGGER "household_members_search_deleted" AFTER DELETE ON "household_members"
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "household_members_refresh_search"();--> statement-breakpoint
CREATE INDEX "households_search_doc" ON "households" USING gin ("search_doc" gin_trgm_ops);--> statement-breakpoint
-- Results are listed by the head's name: an index in that order (per commune, and across communes) lets a broad
-- prefix stop after one page instead of sorting every match. It also serves the duplicate check's equality.
DROP INDEX "households_head_search";--> statement-breakpoint
CREATE INDEX "households_head_search" ON "households" USING btree ("head_search", "id");--> statement-breakpoint
CREATE INDEX "households_commune_head" ON "households" USING btree ("commune_code", "head_search", "id");--> statement-breakpoint
-- The per-member prefix indexes are replaced by the search document; the citizen ID index holds only members with one.
DROP INDEX "household_members_search_name";--> statement-breakpoint
DROP INDEX "household_members_search_given";--> statement-breakpoint
DROP INDEX "household_members_citizen";--> statement-breakpoint
CREATE INDEX "household_members_citizen" ON "household_members" USING btree ("citizen_id") WHERE "citizen_id" IS NOT NULL;--> statement-breakpoint
-- 2. The shape of an import's staging table: each import streams its file into a table of its own made LIKE this one
--    (household_import_<n>, unlogged), batch by batch so other requests go through between batches, checks it
--    set-wise, merges it in one transaction, and drops it when the import ends, whatever the end.
CREATE UNLOGGED TABLE "household_import_rows" (
	"row_number" integer NOT NULL,
	"household_code" text NOT NULL,
	"village_code" text NOT NULL,
	"full_name" text NOT NULL,
	"search_name" text NOT NULL,
	"search_given" text NOT NULL,
	"relation" text NOT NULL,
	"birth_year" integer NOT NULL,
	"sex" text NOT NULL,
	"ethnicity" text,
	"citizen_id" text
);
--> statement-breakpoint
CREATE SEQUENCE "household_import_seq";
