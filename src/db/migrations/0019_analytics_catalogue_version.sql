-- The analytics query plan caches its inputs (units, lineage, data elements, indicators, coverage thresholds) by the
-- counter of 0004 instead of reading them from the database on every query (issue 14). Units and lineage already bump
-- it; now the catalogue does too, so a renamed element, a changed indicator formula or a form's new coverage
-- threshold is seen by the next query of every server, and dashboards that watch GET /analytics/version refetch.
CREATE TRIGGER "data_elements_dimension" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "data_elements"
  FOR EACH STATEMENT EXECUTE FUNCTION "analytics_dimension_bump"();--> statement-breakpoint
CREATE TRIGGER "indicators_dimension" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "indicators"
  FOR EACH STATEMENT EXECUTE FUNCTION "analytics_dimension_bump"();--> statement-breakpoint
CREATE TRIGGER "forms_dimension" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "forms"
  FOR EACH STATEMENT EXECUTE FUNCTION "analytics_dimension_bump"();--> statement-breakpoint
CREATE TRIGGER "form_elements_dimension" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "form_elements"
  FOR EACH STATEMENT EXECUTE FUNCTION "analytics_dimension_bump"();
