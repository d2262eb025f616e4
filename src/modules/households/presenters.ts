import type { Actor } from "../access/actor.ts";
import { maskCitizenId } from "./citizen-id.ts";
import { seesPersonalData } from "./common.ts";

export interface MemberRow {
  id: number;
  fullName: string;
  relation: string;
  birthYear: number;
  birthDate: string | null;
  sex: string;
  ethnicity: string | null;
  citizenId: string | null;
  joinedOn: string | null;
  joinReason: string;
  leftOn: string | null;
  leaveReason: string | null;
}

/**
 * A member as this reader may see them: the commune's officers see the citizen ID and birth date; other roles see
 * the ID masked to its last three digits and the birth year only (`masked: true` says so, for the screen to explain).
 */
export function presentMember(actor: Actor, m: MemberRow) {
  const full = seesPersonalData(actor);
  return {
    id: m.id,
    fullName: m.fullName,
    relation: m.relation,
    birthYear: m.birthYear,
    birthDate: full ? m.birthDate : null,
    sex: m.sex,
    ethnicity: m.ethnicity,
    citizenId: full ? m.citizenId : maskCitizenId(m.citizenId),
    joinedOn: m.joinedOn,
    joinReason: m.joinReason,
    leftOn: m.leftOn,
    leaveReason: m.leaveReason,
    isCurrent: m.leftOn === null,
    masked: !full,
  };
}
