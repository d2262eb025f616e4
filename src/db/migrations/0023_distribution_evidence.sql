-- Evidence of a delivery (#11): the receipt photo or signed list kept as a file in the attachments folder (by its
-- SHA-256, as working sessions keep theirs), one row per file attached to a recorded distribution.
CREATE TABLE "distribution_evidence" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "distribution_evidence_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"distribution_id" bigint NOT NULL REFERENCES "distributions"("id"),
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "distribution_evidence_distribution_idx" ON "distribution_evidence" USING btree ("distribution_id");
