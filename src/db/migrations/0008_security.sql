-- Security hardening (issue 8).
-- 1. The audit trail knows every unit an event touches, not only its main one, so a reader sees an event only when
--    all of them are within the reader's scope (a form's unit list naming another province's communes, an account
--    moved between provinces). Filled by a trigger from the event's before/after, whatever code writes the event.
CREATE FUNCTION "audit_touched_units"(main text, kind text, b jsonb, a jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(DISTINCT c ORDER BY c), '{}'::text[]) FROM (
    SELECT main AS c WHERE main IS NOT NULL
    UNION ALL
    SELECT v #>> '{}' FROM jsonb_array_elements(jsonb_build_array(b, a)) doc(d),
      LATERAL (
        SELECT jsonb_path_query(d, 'lax $.**.scope[*] ? (@.type() == "string")') UNION ALL
        SELECT jsonb_path_query(d, 'lax $.**.unitCode[*] ? (@.type() == "string")') UNION ALL
        SELECT jsonb_path_query(d, 'lax $.**.unit[*] ? (@.type() == "string")') UNION ALL
        SELECT jsonb_path_query(d, 'lax $.**.units[*] ? (@.type() == "string")') UNION ALL
        SELECT jsonb_path_query(d, 'lax $.**.parentCode[*] ? (@.type() == "string")') UNION ALL
        SELECT jsonb_path_query(d, 'lax $.**.parent_code[*] ? (@.type() == "string")') UNION ALL
        SELECT jsonb_path_query(d, 'lax $.**.orgUnit[*] ? (@.type() == "string")') UNION ALL
        SELECT jsonb_path_query(d, 'lax $.**.code[*] ? (@.type() == "string")') WHERE kind = 'unit_event'
      ) found(v)
  ) codes
$$;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "unit_codes" text[];--> statement-breakpoint
CREATE FUNCTION "audit_events_fill_units"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.unit_codes := audit_touched_units(NEW.unit_code, NEW.record_kind, NEW.before, NEW.after);
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_units" BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_fill_units"();--> statement-breakpoint
-- The one UPDATE the append-only trail ever sees: filling the new derived column of the events already there.
ALTER TABLE "audit_events" DISABLE TRIGGER "audit_events_no_update";--> statement-breakpoint
UPDATE "audit_events" SET "unit_codes" = audit_touched_units("unit_code", "record_kind", "before", "after");--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE TRIGGER "audit_events_no_update";--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "unit_codes" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_events_unit_codes" ON "audit_events" USING gin ("unit_codes");--> statement-breakpoint
-- 2. Sign-in attempts per name (known or not, so that a locked name and an unknown one answer alike): a failure
--    count and the earliest time the next attempt is looked at. Reserved atomically before the password is checked.
CREATE TABLE "sign_in_names" (
	"name" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"not_before" timestamp with time zone,
	"last_failure_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- 3. The security log: failed sign-ins, refused tokens, forbidden and out-of-scope requests. Never a password.
CREATE TABLE "security_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "security_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"username" text,
	"address" text,
	"method" text,
	"path" text,
	"unit_code" text,
	"scope_code" text,
	"request_id" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE INDEX "security_events_at" ON "security_events" ("at");--> statement-breakpoint
CREATE INDEX "security_events_scope" ON "security_events" ("scope_code", "at");
