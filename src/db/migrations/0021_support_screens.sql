-- Support screens (#11): why a household was put on a list by hand, why one was taken off before approval, the
-- details of a "not delivered", and which communes have reported their damage from a disaster (the coverage of the
-- province's live view).
ALTER TABLE "entitlements" ADD COLUMN "added_reason" text;--> statement-breakpoint
ALTER TABLE "entitlements" ADD COLUMN "not_delivered_note" text;--> statement-breakpoint
CREATE TABLE "entitlement_removals" (
	"cycle_id" bigint NOT NULL REFERENCES "support_cycles"("id"),
	"household_id" bigint NOT NULL REFERENCES "households"("id"),
	"reason" text NOT NULL,
	"removed_by" text NOT NULL,
	"removed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entitlement_removals_pk" PRIMARY KEY ("cycle_id", "household_id")
);
--> statement-breakpoint
CREATE TABLE "disaster_reports" (
	"disaster_id" bigint NOT NULL REFERENCES "disasters"("id"),
	"commune_code" text NOT NULL,
	"reported_by" text NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disaster_reports_pk" PRIMARY KEY ("disaster_id", "commune_code")
);
