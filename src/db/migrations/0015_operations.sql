-- Which database this is. A restore gives it a new identity, so an analytics replica that remembers another
-- identity rebuilds instead of trusting positions in a change sequence that is not the one it read.
CREATE TABLE "database_identity" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"instance" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"restored_at" timestamp with time zone,
	CONSTRAINT "database_identity_one_row" CHECK ("database_identity"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "database_identity" ("id", "instance") VALUES (1, gen_random_uuid());
--> statement-breakpoint
-- Each analytics replica (one per server process) records how far it has applied the change sequence, so that the
-- pruning job keeps what the slowest live replica still needs.
CREATE TABLE "analytics_replicas" (
	"replica_id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"last_seq" bigint NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Everything below this sequence number has been pruned: a replica whose position is below it must rebuild.
CREATE TABLE "analytics_change_floor" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"pruned_below" bigint DEFAULT 0 NOT NULL,
	"pruned_at" timestamp with time zone,
	CONSTRAINT "analytics_change_floor_one_row" CHECK ("analytics_change_floor"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "analytics_change_floor" ("id", "pruned_below") VALUES (1, 0);
--> statement-breakpoint
-- Background jobs run once per scheduled slot however many servers share the database: the server that takes the
-- job's advisory lock first records the slot, the others find it recorded and skip.
CREATE TABLE "job_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"last_slot" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"runs" integer DEFAULT 0 NOT NULL
);
