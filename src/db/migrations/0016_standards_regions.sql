-- Standards by socio-economic region (issue 12): the six regions as reference data with stable codes, each current
-- province's region as configuration a system administrator changes (audited, optimistic version), and thresholds
-- that apply to a region. A province whose region is not certain after the 2025 mergers ships without one (NULL).
CREATE TABLE "socioeconomic_regions" (
	"code" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL
);--> statement-breakpoint
INSERT INTO "socioeconomic_regions" ("code", "position", "name_vi", "name_en") VALUES
	('TDMNPB', 1, 'Trung du và miền núi phía Bắc', 'Northern Midlands and Mountains'),
	('DBSH', 2, 'Đồng bằng sông Hồng', 'Red River Delta'),
	('BTB_DHMT', 3, 'Bắc Trung Bộ và duyên hải miền Trung', 'North Central and Central Coast'),
	('TN', 4, 'Tây Nguyên', 'Central Highlands'),
	('DNB', 5, 'Đông Nam Bộ', 'South East'),
	('DBSCL', 6, 'Đồng bằng sông Cửu Long', 'Mekong River Delta');--> statement-breakpoint
CREATE TABLE "province_regions" (
	"province_code" text PRIMARY KEY NOT NULL,
	"region_code" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);--> statement-breakpoint
ALTER TABLE "province_regions" ADD CONSTRAINT "province_regions_region_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."socioeconomic_regions"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
INSERT INTO "province_regions" ("province_code", "region_code") VALUES
	('04', 'TDMNPB'), ('08', 'TDMNPB'), ('11', 'TDMNPB'), ('12', 'TDMNPB'), ('14', 'TDMNPB'), ('15', 'TDMNPB'),
	('19', 'TDMNPB'), ('20', 'TDMNPB'), ('25', NULL),
	('01', 'DBSH'), ('22', 'DBSH'), ('24', NULL), ('31', 'DBSH'), ('33', 'DBSH'), ('37', 'DBSH'),
	('38', 'BTB_DHMT'), ('40', 'BTB_DHMT'), ('42', 'BTB_DHMT'), ('44', 'BTB_DHMT'), ('46', 'BTB_DHMT'),
	('48', 'BTB_DHMT'), ('51', NULL), ('56', 'BTB_DHMT'),
	('52', NULL), ('66', NULL), ('68', NULL),
	('75', 'DNB'), ('79', 'DNB'), ('80', NULL),
	('82', 'DBSCL'), ('86', 'DBSCL'), ('91', 'DBSCL'), ('92', 'DBSCL'), ('96', 'DBSCL');--> statement-breakpoint
ALTER TABLE "standard_thresholds" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "standard_thresholds" ADD CONSTRAINT "standard_thresholds_region_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."socioeconomic_regions"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standard_thresholds" DROP CONSTRAINT "standard_thresholds_group";--> statement-breakpoint
ALTER TABLE "standard_thresholds" ADD CONSTRAINT "standard_thresholds_group" CHECK (("commune_group" IN ('all', '1', '2', '3') AND "region_code" IS NULL) OR ("commune_group" = 'region' AND "region_code" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "standard_thresholds" DROP CONSTRAINT "standard_thresholds_once";--> statement-breakpoint
CREATE UNIQUE INDEX "standard_thresholds_once" ON "standard_thresholds" USING btree ("requirement_id","commune_group",coalesce("region_code", ''));
