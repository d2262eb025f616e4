CREATE TABLE "analytics_dimension_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_value_changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"data_value_id" bigint NOT NULL,
	"op" char(1) NOT NULL,
	"element_id" bigint NOT NULL,
	"unit_version_id" bigint NOT NULL,
	"period" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_value_changes_op" CHECK ("data_value_changes"."op" IN ('I', 'U', 'D'))
);
--> statement-breakpoint
CREATE INDEX "data_value_changes_at" ON "data_value_changes" USING btree ("changed_at");--> statement-breakpoint
-- The change sequence of data values, written by the database itself so that no writer can forget it.
CREATE FUNCTION "data_value_changes_capture"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO "data_value_changes" ("data_value_id", "op", "element_id", "unit_version_id", "period")
    VALUES (OLD."id", 'D', OLD."element_id", OLD."unit_version_id", OLD."period");
    RETURN OLD;
  END IF;
  INSERT INTO "data_value_changes" ("data_value_id", "op", "element_id", "unit_version_id", "period")
  VALUES (NEW."id", CASE WHEN TG_OP = 'INSERT' THEN 'I' ELSE 'U' END, NEW."element_id", NEW."unit_version_id", NEW."period");
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "data_values_changes" AFTER INSERT OR UPDATE OR DELETE ON "data_values"
  FOR EACH ROW EXECUTE FUNCTION "data_value_changes_capture"();--> statement-breakpoint
-- Units and lineage: one counter the replica compares to know when to re-read them.
INSERT INTO "analytics_dimension_version" ("id", "version") VALUES (1, 0);--> statement-breakpoint
CREATE FUNCTION "analytics_dimension_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "analytics_dimension_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "unit_versions_dimension" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "unit_versions"
  FOR EACH STATEMENT EXECUTE FUNCTION "analytics_dimension_bump"();--> statement-breakpoint
CREATE TRIGGER "lineage_edges_dimension" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "lineage_edges"
  FOR EACH STATEMENT EXECUTE FUNCTION "analytics_dimension_bump"();
