import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/client.ts";
import { testCtx } from "../../db/testing/seed.ts";
import type { Actor, RequestContext, Role } from "../access/actor.ts";
import { scopeOfVersion } from "../access/scope.ts";
import { createUser } from "../access/users.ts";
import { createHousehold, type MemberInput } from "./registry.ts";

/** A signed-in actor of this role and scope, made through the real account operation. */
export async function actorFor(
  db: Db,
  username: string,
  role: Role,
  scopeCode: string,
): Promise<RequestContext> {
  const { user } = await createUser(db, testCtx, new Date(), {
    username,
    displayName: username,
    role,
    scopeCode,
    password: "rất-dài-và-khó-đoán-1",
  });
  const [row] = rowsOf<{ scope_version_id: string }>(
    await db.execute(sql`SELECT scope_version_id FROM users WHERE id = ${user.id}`),
  );
  const actor: Actor = {
    kind: "user",
    id: String(user.id),
    role,
    scope: await scopeOfVersion(db, Number(row?.scope_version_id)),
  };
  return { actor, requestId: "test" };
}

let serial = 0;
/** A valid citizen ID for a person of this birth year and sex (province code 014, Sơn La). */
export function citizenId(birthYear: number, sex: "male" | "female"): string {
  serial += 1;
  const century = Math.floor((birthYear - 1900) / 100) * 2 + (sex === "female" ? 1 : 0);
  return `014${century}${String(birthYear % 100).padStart(2, "0")}${String(100000 + serial).slice(-6)}`;
}

export const head = (fullName: string, birthYear = 1980, extra: Partial<MemberInput> = {}): MemberInput => ({
  fullName,
  relation: "head",
  birthYear,
  sex: "male",
  ...extra,
});
export const member = (
  fullName: string,
  birthYear: number,
  extra: Partial<MemberInput> = {},
): MemberInput => ({
  fullName,
  relation: "child",
  birthYear,
  sex: "female",
  ...extra,
});

/** A household of `size` members in a village, registered on `registeredOn`. */
export async function household(
  db: Db,
  ctx: RequestContext,
  villageCode: string,
  name: string,
  size = 4,
  registeredOn = "2020-01-01",
) {
  const members = [
    head(name),
    ...Array.from({ length: size - 1 }, (_, i) => member(`${name} con ${i + 1}`, 2005 + i)),
  ];
  return createHousehold(db, ctx, { villageCode, registeredOn, members });
}
