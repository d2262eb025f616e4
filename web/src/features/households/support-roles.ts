import type { Role } from "../../api/types.ts";

/** What the screens offer each role; the server's policies decide (src/modules/access/policies.ts). */

/** Lists and deliveries, damage of households: the commune's officers (support.distribute, households.write). */
export const distributes = (role: Role | undefined) => role === "commune_officer" || role === "system_admin";
/** Household names: every officer; a viewer sees counts only (households.read). */
export const readsNames = (role: Role | undefined) => role !== undefined && role !== "viewer";
/** Programmes, cycles and events: every officer (support.manage, disasters.manage). */
export const manages = (role: Role | undefined) => role !== undefined && role !== "viewer";
