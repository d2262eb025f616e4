CREATE TABLE "households" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"code" text NOT NULL,
	"village_code" text NOT NULL,
	"commune_code" text NOT NULL,
	"address" text,
	"head_name" text NOT NULL,
	"head_search" text NOT NULL,
	"head_birth_year" integer,
	"registered_on" date,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text,
	"deleted_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "households_code_key" UNIQUE ("code"),
	CONSTRAINT "households_deleted_reason" CHECK ("deleted_at" IS NULL OR "deleted_reason" IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX "households_village" ON "households" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "households_commune" ON "households" USING btree ("commune_code");--> statement-breakpoint
CREATE INDEX "households_head_search" ON "households" USING btree ("head_search" text_pattern_ops);--> statement-breakpoint
CREATE TABLE "household_members" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"household_id" bigint NOT NULL REFERENCES "households"("id"),
	"full_name" text NOT NULL,
	"search_name" text NOT NULL,
	"search_given" text NOT NULL,
	"relation" text NOT NULL,
	"birth_year" integer NOT NULL,
	"birth_date" date,
	"sex" text NOT NULL,
	"ethnicity" text,
	"citizen_id" text,
	"joined_on" date,
	"join_reason" text NOT NULL,
	"left_on" date,
	"leave_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "household_members_relation" CHECK ("relation" IN ('head','spouse','child','parent','grandchild','grandparent','sibling','in_law','other')),
	CONSTRAINT "household_members_sex" CHECK ("sex" IN ('male','female')),
	CONSTRAINT "household_members_join_reason" CHECK ("join_reason" IN ('registered','birth','marriage','moved_in','merged')),
	CONSTRAINT "household_members_leave_reason" CHECK ("leave_reason" IS NULL OR "leave_reason" IN ('death','marriage','moved_out','merged','household_deleted')),
	CONSTRAINT "household_members_left_has_reason" CHECK (("left_on" IS NULL) = ("leave_reason" IS NULL)),
	CONSTRAINT "household_members_interval" CHECK ("left_on" IS NULL OR "joined_on" IS NULL OR "left_on" >= "joined_on"),
	CONSTRAINT "household_members_citizen_id" CHECK ("citizen_id" IS NULL OR "citizen_id" ~ '^[0-9]{12}$')
);
--> statement-breakpoint
-- One person (citizen ID) is a current member of at most one household: held by the database for every path.
CREATE UNIQUE INDEX "household_members_one_current" ON "household_members" USING btree ("citizen_id") WHERE "left_on" IS NULL AND "citizen_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "household_members_household" ON "household_members" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "household_members_search_name" ON "household_members" USING btree ("search_name" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "household_members_search_given" ON "household_members" USING btree ("search_given" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "household_members_citizen" ON "household_members" USING btree ("citizen_id");--> statement-breakpoint
CREATE TABLE "household_policy_classes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"household_id" bigint NOT NULL REFERENCES "households"("id"),
	"kind" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"note" text,
	CONSTRAINT "household_policy_classes_kind" CHECK ("kind" IN ('meritorious_service','martyr_family','war_invalid','other_policy')),
	CONSTRAINT "household_policy_classes_interval" CHECK ("valid_to" IS NULL OR "valid_to" > "valid_from")
);
--> statement-breakpoint
CREATE INDEX "household_policy_classes_household" ON "household_policy_classes" USING btree ("household_id");--> statement-breakpoint
CREATE TABLE "household_duplicates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"household_a" bigint NOT NULL REFERENCES "households"("id"),
	"household_b" bigint NOT NULL REFERENCES "households"("id"),
	"commune_code" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decision_note" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "household_duplicates_pair" UNIQUE ("household_a", "household_b"),
	CONSTRAINT "household_duplicates_order" CHECK ("household_a" < "household_b"),
	CONSTRAINT "household_duplicates_status" CHECK ("status" IN ('open','kept_both','merged','member_moved'))
);
--> statement-breakpoint
CREATE INDEX "household_duplicates_commune" ON "household_duplicates" USING btree ("commune_code", "status");--> statement-breakpoint
CREATE TABLE "poverty_standards" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"code" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"legal_basis" text NOT NULL,
	"province_code" text,
	"from_year" integer NOT NULL,
	"to_year" integer NOT NULL,
	"rural_threshold" integer NOT NULL,
	"urban_threshold" integer NOT NULL,
	"indicators" text[] NOT NULL,
	"poor_min_lacking" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "poverty_standards_code_key" UNIQUE ("code"),
	CONSTRAINT "poverty_standards_years" CHECK ("from_year" <= "to_year"),
	CONSTRAINT "poverty_standards_thresholds" CHECK ("rural_threshold" > 0 AND "urban_threshold" > 0)
);
--> statement-breakpoint
INSERT INTO "poverty_standards" ("code", "name_vi", "name_en", "legal_basis", "from_year", "to_year", "rural_threshold", "urban_threshold", "indicators", "poor_min_lacking") VALUES
('VN_2022_2025', 'Chuẩn nghèo đa chiều giai đoạn 2022–2025 (áp dụng cả năm 2026)', 'Multidimensional poverty standard 2022–2025 (also applied in 2026)', 'Nghị định 07/2021/NĐ-CP', 2022, 2026, 1500000, 2000000,
 ARRAY['employment','dependants','nutrition','health_insurance','adult_education','child_schooling','housing_quality','living_area','water_source','toilet','telecom','information_access'], 3),
('VN_2027_2030', 'Chuẩn nghèo đa chiều giai đoạn 2027–2030', 'Multidimensional poverty standard 2027–2030', 'Chuẩn nghèo giai đoạn 2027–2030 (thêm chỉ số xử lý rác thải)', 2027, 2030, 2200000, 2800000,
 ARRAY['employment','dependants','nutrition','health_insurance','adult_education','child_schooling','housing_quality','living_area','water_source','toilet','telecom','information_access','waste_treatment'], 3);
--> statement-breakpoint
CREATE TABLE "poverty_reviews" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"commune_code" text NOT NULL,
	"commune_version_id" bigint NOT NULL REFERENCES "unit_versions"("id"),
	"year" integer NOT NULL,
	"as_of" date NOT NULL,
	"standard_id" bigint NOT NULL REFERENCES "poverty_standards"("id"),
	"is_urban" boolean NOT NULL,
	"status" text DEFAULT 'surveying' NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" text,
	"approved_at" timestamp with time zone,
	"approved_by" text,
	"reopen_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "poverty_reviews_once" UNIQUE ("commune_code", "year"),
	CONSTRAINT "poverty_reviews_status" CHECK ("status" IN ('surveying','awaiting_approval','approved'))
);
--> statement-breakpoint
CREATE TABLE "poverty_surveys" (
	"review_id" bigint NOT NULL REFERENCES "poverty_reviews"("id") ON DELETE CASCADE,
	"household_id" bigint NOT NULL REFERENCES "households"("id"),
	"village_code" text NOT NULL,
	"village_version_id" bigint REFERENCES "unit_versions"("id"),
	"members_counted" integer DEFAULT 0 NOT NULL,
	"annual_income" bigint,
	"income_per_person_month" numeric,
	"lacking" text[] DEFAULT '{}' NOT NULL,
	"computed" text,
	"explanation" jsonb,
	"meeting_result" text,
	"meeting_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "poverty_surveys_pk" PRIMARY KEY ("review_id", "household_id"),
	CONSTRAINT "poverty_surveys_income" CHECK ("annual_income" IS NULL OR "annual_income" >= 0),
	CONSTRAINT "poverty_surveys_computed" CHECK ("computed" IS NULL OR "computed" IN ('poor','near_poor','not_poor')),
	CONSTRAINT "poverty_surveys_meeting" CHECK ("meeting_result" IS NULL OR "meeting_result" IN ('poor','near_poor','not_poor'))
);
--> statement-breakpoint
CREATE INDEX "poverty_surveys_household" ON "poverty_surveys" USING btree ("household_id");--> statement-breakpoint
CREATE TABLE "disasters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"started_on" date NOT NULL,
	"ended_on" date,
	"province_code" text NOT NULL,
	"unit_codes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "disasters_kind" CHECK ("kind" IN ('flood','flash_flood','landslide','storm','other')),
	CONSTRAINT "disasters_interval" CHECK ("ended_on" IS NULL OR "ended_on" >= "started_on")
);
--> statement-breakpoint
CREATE TABLE "disaster_damages" (
	"disaster_id" bigint NOT NULL REFERENCES "disasters"("id"),
	"household_id" bigint NOT NULL REFERENCES "households"("id"),
	"commune_code" text NOT NULL,
	"people_hurt" integer DEFAULT 0 NOT NULL,
	"house" text DEFAULT 'none' NOT NULL,
	"crops_ha" numeric DEFAULT 0 NOT NULL,
	"livestock_lost" integer DEFAULT 0 NOT NULL,
	"note" text,
	"recorded_by" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "disaster_damages_pk" PRIMARY KEY ("disaster_id", "household_id"),
	CONSTRAINT "disaster_damages_house" CHECK ("house" IN ('none','damaged','destroyed')),
	CONSTRAINT "disaster_damages_numbers" CHECK ("people_hurt" >= 0 AND "crops_ha" >= 0 AND "livestock_lost" >= 0)
);
--> statement-breakpoint
CREATE INDEX "disaster_damages_household" ON "disaster_damages" USING btree ("household_id");--> statement-breakpoint
CREATE TABLE "support_programmes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"name" text NOT NULL,
	"funder" text NOT NULL,
	"unit_code" text NOT NULL,
	"eligible_poor" boolean DEFAULT false NOT NULL,
	"eligible_near_poor" boolean DEFAULT false NOT NULL,
	"eligible_policy" boolean DEFAULT false NOT NULL,
	"disaster_id" bigint REFERENCES "disasters"("id"),
	"benefit_kind" text NOT NULL,
	"benefit_amount" bigint DEFAULT 0 NOT NULL,
	"benefit_description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "support_programmes_kind" CHECK ("benefit_kind" IN ('cash','goods','package')),
	CONSTRAINT "support_programmes_amount" CHECK ("benefit_amount" >= 0),
	CONSTRAINT "support_programmes_rule" CHECK ("eligible_poor" OR "eligible_near_poor" OR "eligible_policy" OR "disaster_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "support_cycles" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"programme_id" bigint NOT NULL REFERENCES "support_programmes"("id"),
	"name" text NOT NULL,
	"commune_code" text NOT NULL,
	"eligibility_date" date NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"approved_at" timestamp with time zone,
	"approved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "support_cycles_status" CHECK ("status" IN ('draft','awaiting_approval','approved'))
);
--> statement-breakpoint
CREATE INDEX "support_cycles_commune" ON "support_cycles" USING btree ("commune_code", "status");--> statement-breakpoint
CREATE TABLE "entitlements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"cycle_id" bigint NOT NULL REFERENCES "support_cycles"("id"),
	"household_id" bigint NOT NULL REFERENCES "households"("id"),
	"quantity" integer DEFAULT 1 NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"basis" text NOT NULL,
	"not_delivered_reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "entitlements_numbers" CHECK ("quantity" > 0 AND "amount" >= 0)
);
--> statement-breakpoint
-- A household appears at most once per cycle, whichever path writes (two screens, a double import, a retried request).
CREATE UNIQUE INDEX "entitlements_once" ON "entitlements" USING btree ("cycle_id", "household_id");--> statement-breakpoint
CREATE INDEX "entitlements_household" ON "entitlements" USING btree ("household_id");--> statement-breakpoint
CREATE TABLE "distributions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"entitlement_id" bigint NOT NULL REFERENCES "entitlements"("id"),
	"delivered_on" date NOT NULL,
	"received_by" text NOT NULL,
	"quantity" integer NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"note" text,
	"evidence_file" text,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "distributions_numbers" CHECK ("quantity" > 0 AND "amount" >= 0)
);
--> statement-breakpoint
-- One delivery per entitlement: a retried request cannot pay twice either.
CREATE UNIQUE INDEX "distributions_once" ON "distributions" USING btree ("entitlement_id");
