-- Bulk writes of data values (issue 14): what a COPY or an import paid per row, paid per statement instead.
--
-- 1. The keys of data_values (element_id → data_elements, unit_version_id → unit_versions) are checked once per
--    statement, not once per row. A foreign key constraint runs a lookup and a row lock for every row written: with
--    the change log it was two thirds of a COPY's time (measured: 34 k values/s with the constraints, 135 k without).
--    The same rule holds, with the same error (23503, the constraint's name): a write naming a missing element or
--    unit version fails whole; the rows it names are locked FOR KEY SHARE as the constraint locks them, so a
--    concurrent delete waits for the write to commit, and a delete of an element or unit version that values still
--    name fails. A restore loads with user triggers off, as it did with the constraints checked table by table.
ALTER TABLE "data_values" DROP CONSTRAINT "data_values_element_id_data_elements_id_fk";--> statement-breakpoint
ALTER TABLE "data_values" DROP CONSTRAINT "data_values_unit_version_id_unit_versions_id_fk";--> statement-breakpoint
CREATE FUNCTION "data_values_keys_check"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  elements bigint[];
  versions bigint[];
  found integer;
  missing bigint;
BEGIN
  SELECT array_agg(DISTINCT "element_id"), array_agg(DISTINCT "unit_version_id") INTO elements, versions
    FROM "new_rows";
  IF elements IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT count(*) INTO found FROM (
    SELECT 1 FROM "data_elements" WHERE "id" = ANY (elements) FOR KEY SHARE) locked;
  IF found < cardinality(elements) THEN
    SELECT k INTO missing FROM unnest(elements) k
      WHERE NOT EXISTS (SELECT 1 FROM "data_elements" e WHERE e."id" = k) LIMIT 1;
    RAISE EXCEPTION 'insert or update on table "data_values" violates foreign key constraint "data_values_element_id_data_elements_id_fk"'
      USING ERRCODE = 'foreign_key_violation', TABLE = 'data_values',
        CONSTRAINT = 'data_values_element_id_data_elements_id_fk',
        DETAIL = format('Key (element_id)=(%s) is not present in table "data_elements".', missing);
  END IF;
  SELECT count(*) INTO found FROM (
    SELECT 1 FROM "unit_versions" WHERE "id" = ANY (versions) FOR KEY SHARE) locked;
  IF found < cardinality(versions) THEN
    SELECT k INTO missing FROM unnest(versions) k
      WHERE NOT EXISTS (SELECT 1 FROM "unit_versions" u WHERE u."id" = k) LIMIT 1;
    RAISE EXCEPTION 'insert or update on table "data_values" violates foreign key constraint "data_values_unit_version_id_unit_versions_id_fk"'
      USING ERRCODE = 'foreign_key_violation', TABLE = 'data_values',
        CONSTRAINT = 'data_values_unit_version_id_unit_versions_id_fk',
        DETAIL = format('Key (unit_version_id)=(%s) is not present in table "unit_versions".', missing);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "data_values_keys_inserted" AFTER INSERT ON "data_values"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "data_values_keys_check"();--> statement-breakpoint
CREATE TRIGGER "data_values_keys_updated" AFTER UPDATE ON "data_values"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "data_values_keys_check"();--> statement-breakpoint
-- The other side: an element or unit version that values still name is not deleted (nor its id changed).
CREATE FUNCTION "data_values_element_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  gone bigint;
BEGIN
  SELECT o."id" INTO gone FROM "old_rows" o
    WHERE NOT EXISTS (SELECT 1 FROM "data_elements" e WHERE e."id" = o."id")
      AND EXISTS (SELECT 1 FROM "data_values" d WHERE d."element_id" = o."id")
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'update or delete on table "data_elements" violates foreign key constraint "data_values_element_id_data_elements_id_fk" on table "data_values"'
      USING ERRCODE = 'foreign_key_violation', TABLE = 'data_elements',
        CONSTRAINT = 'data_values_element_id_data_elements_id_fk',
        DETAIL = format('Key (id)=(%s) is still referenced from table "data_values".', gone);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "data_elements_values_kept_deleted" AFTER DELETE ON "data_elements"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "data_values_element_kept"();--> statement-breakpoint
CREATE TRIGGER "data_elements_values_kept_updated" AFTER UPDATE ON "data_elements"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "data_values_element_kept"();--> statement-breakpoint
CREATE FUNCTION "data_values_unit_version_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  gone bigint;
BEGIN
  SELECT o."id" INTO gone FROM "old_rows" o
    WHERE NOT EXISTS (SELECT 1 FROM "unit_versions" u WHERE u."id" = o."id")
      AND EXISTS (SELECT 1 FROM "data_values" d WHERE d."unit_version_id" = o."id")
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'update or delete on table "unit_versions" violates foreign key constraint "data_values_unit_version_id_unit_versions_id_fk" on table "data_values"'
      USING ERRCODE = 'foreign_key_violation', TABLE = 'unit_versions',
        CONSTRAINT = 'data_values_unit_version_id_unit_versions_id_fk',
        DETAIL = format('Key (id)=(%s) is still referenced from table "data_values".', gone);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "unit_versions_values_kept_deleted" AFTER DELETE ON "unit_versions"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "data_values_unit_version_kept"();--> statement-breakpoint
CREATE TRIGGER "unit_versions_values_kept_updated" AFTER UPDATE ON "unit_versions"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "data_values_unit_version_kept"();--> statement-breakpoint
-- 2. The change log (0006) is written without sorting each statement's rows by id first (a statement of 200,000
--    rows sorted them on disk), and without an index on changed_at: the replica reads it by seq, and pruning deletes
--    by seq (the primary key) below every live replica's position. Each statement's changes still get their own
--    increasing seqs, and the replica applies a change by reading the value's current row, so the order of one
--    statement's changes among themselves does not matter.
DROP INDEX "data_value_changes_at";--> statement-breakpoint
CREATE OR REPLACE FUNCTION "data_value_changes_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "data_value_changes" ("data_value_id", "op", "element_id", "unit_version_id", "period")
  SELECT "id", 'I', "element_id", "unit_version_id", "period" FROM "new_rows";
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "data_value_changes_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "data_value_changes" ("data_value_id", "op", "element_id", "unit_version_id", "period")
  SELECT "id", 'U', "element_id", "unit_version_id", "period" FROM "new_rows";
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "data_value_changes_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "data_value_changes" ("data_value_id", "op", "element_id", "unit_version_id", "period")
  SELECT "id", 'D', "element_id", "unit_version_id", "period" FROM "old_rows";
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- 3. The audit trail's units (0008) are searched for in an event's before/after only when one of the keys a unit
--    code sits under appears in their text at all. Most events (a value saved or imported: value, comment, version)
--    name none, and the eight JSON path searches per event were two thirds of an import's audit writes. The result is
--    the same: without such a key the search finds nothing but the event's own unit.
CREATE OR REPLACE FUNCTION "audit_events_fill_units"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(NEW."before"::text, '') || coalesce(NEW."after"::text, '')
      ~ '"(scope|unitCode|unit|units|parentCode|parent_code|orgUnit|code)"' THEN
    NEW.unit_codes := audit_touched_units(NEW.unit_code, NEW.record_kind, NEW.before, NEW.after);
  ELSE
    NEW.unit_codes := CASE WHEN NEW.unit_code IS NULL THEN '{}'::text[] ELSE ARRAY[NEW.unit_code] END;
  END IF;
  RETURN NEW;
END;
$$;
