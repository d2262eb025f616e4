-- A province runs its own reporting (issue 10) and authority stays where it belongs (issue 8).
-- owner_unit_code: the province that owns a catalogue entry or form; NULL = national, edited only by the system
-- administrator. A province administrator edits its own entries and the units of its own province on any form.
ALTER TABLE "data_elements" ADD COLUMN "owner_unit_code" text;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "owner_unit_code" text;--> statement-breakpoint
ALTER TABLE "validation_rules" ADD COLUMN "owner_unit_code" text;--> statement-breakpoint
ALTER TABLE "forms" ADD COLUMN "owner_unit_code" text;--> statement-breakpoint
-- How deadline_days reads: "days_after_end" (N days after the period's last day) or "day_of_next_month" (day N of
-- the month after the period, which is the same count of days after the period's end).
ALTER TABLE "forms" ADD COLUMN "deadline_rule" text DEFAULT 'days_after_end' NOT NULL;--> statement-breakpoint
ALTER TABLE "forms" ADD CONSTRAINT "forms_deadline_rule" CHECK ("deadline_rule" IN ('days_after_end', 'day_of_next_month'));--> statement-breakpoint
-- Below this share of expected units reporting, an aggregate of the form is marked partial (analytics reads it).
ALTER TABLE "forms" ADD COLUMN "coverage_threshold" numeric DEFAULT 0.8 NOT NULL;--> statement-breakpoint
ALTER TABLE "forms" ADD CONSTRAINT "forms_coverage_threshold" CHECK ("coverage_threshold" >= 0 AND "coverage_threshold" <= 1);--> statement-breakpoint
-- A retired form takes no new reports; its reports and values stay readable.
ALTER TABLE "forms" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "forms_owner" ON "forms" ("owner_unit_code");
--> statement-breakpoint
-- The entry screen warns (never blocks) when a value moves by more than this factor from the last period.
ALTER TABLE "forms" ADD COLUMN "change_factor" numeric DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "forms" ADD CONSTRAINT "forms_change_factor" CHECK ("change_factor" > 1);
