import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { RequestContext, Role } from "./actor.ts";
import { users } from "./schema.ts";
import { createUser } from "./users.ts";

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string | null;
  password: string;
}

const demoAccounts: Array<Omit<DemoAccount, "password">> = [
  { username: "admin", displayName: "Quản trị hệ thống", role: "system_admin", scopeCode: null },
  { username: "sonla.admin", displayName: "Quản trị tỉnh Sơn La", role: "province_admin", scopeCode: "14" },
  {
    username: "sonla.officer",
    displayName: "Cán bộ Văn phòng UBND tỉnh Sơn La",
    role: "province_officer",
    scopeCode: "14",
  },
  {
    username: "chiengkhuong",
    displayName: "Cán bộ xã Chiềng Khương",
    role: "commune_officer",
    scopeCode: "04222",
  },
  { username: "sonla.viewer", displayName: "Người xem (Sơn La)", role: "viewer", scopeCode: "14" },
  {
    username: "nghean.officer",
    displayName: "Cán bộ Văn phòng UBND tỉnh Nghệ An",
    role: "province_officer",
    scopeCode: "40",
  },
];

/**
 * Demo accounts with passwords made now, returned so that they can be printed once (only hashes are stored).
 * Accounts that already exist are left alone and not returned.
 */
export async function loadDemoAccounts(db: Db, ctx: RequestContext, now: Date): Promise<DemoAccount[]> {
  const created: DemoAccount[] = [];
  for (const account of demoAccounts) {
    const [exists] = await db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = ${account.username}`);
    if (exists) continue;
    const { initialPassword } = await createUser(db, ctx, now, account);
    if (initialPassword) created.push({ ...account, password: initialPassword });
  }
  return created;
}
