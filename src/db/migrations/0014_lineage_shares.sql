-- Shares declared on existing partial lineage edges (issue 14): what each share rests on, and a version so that two
-- declarers never silently overwrite each other.
ALTER TABLE "lineage_edges" ADD COLUMN "share_basis" text;--> statement-breakpoint
ALTER TABLE "lineage_edges" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
