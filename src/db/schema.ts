/** Every table of the one Grassroots schema; drizzle-kit generates the migrations from here. */

export * from "../modules/access/schema.ts";
export * from "../modules/analytics/schema.ts";
export * from "../modules/audit/schema.ts";
export * from "../modules/households/schema.ts";
export * from "../modules/notifications/schema.ts";
export * from "../modules/operations/schema.ts";
export * from "../modules/reporting/schema.ts";
export * from "../modules/sessions/schema.ts";
export * from "../modules/standards/schema.ts";
export * from "../modules/units/schema.ts";
