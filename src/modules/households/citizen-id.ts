/**
 * The 12-digit citizen ID (số định danh cá nhân / CCCD), Circular 59/2021/TT-BCA (formerly 07/2016): digits 1–3 the
 * province of birth registration, digit 4 century and sex (0/1 1900s, 2/3 2000s, 4/5 2100s; even male, odd female),
 * digits 5–6 the last two digits of the birth year, then six random digits. There is no check digit, so what we can
 * check is the structure and its agreement with the member's birth year and sex.
 */
const provinceCodes = new Set(
  "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split(
    " ",
  ),
);

export interface CitizenIdProblem {
  en: string;
  vi: string;
}

/** Why a citizen ID cannot be this member's, or null when it can. */
export function citizenIdProblem(
  id: string,
  member: { birthYear?: number | null; sex?: "male" | "female" | null } = {},
): CitizenIdProblem | null {
  if (!/^\d{12}$/.test(id)) return { en: "must be exactly 12 digits", vi: "phải gồm đúng 12 chữ số" };
  if (!provinceCodes.has(id.slice(0, 3)))
    return {
      en: `starts with ${id.slice(0, 3)}, which is no province code`,
      vi: `bắt đầu bằng ${id.slice(0, 3)}, không phải mã tỉnh`,
    };
  const genderCentury = Number(id[3]);
  const century = 1900 + Math.floor(genderCentury / 2) * 100;
  const year = century + Number(id.slice(4, 6));
  if (member.birthYear != null && member.birthYear !== year)
    return {
      en: `encodes birth year ${year}, not ${member.birthYear}`,
      vi: `mang năm sinh ${year}, không phải ${member.birthYear}`,
    };
  const sex = genderCentury % 2 === 0 ? "male" : "female";
  if (member.sex && member.sex !== sex)
    return {
      en: `encodes sex ${sex}, not ${member.sex}`,
      vi: `mang giới tính ${sex === "male" ? "nam" : "nữ"}, không khớp với thành viên`,
    };
  return null;
}

/** "001099012345" → "*********345": what a role without need sees. */
export function maskCitizenId(id: string | null): string | null {
  return id === null ? null : `${"*".repeat(Math.max(0, id.length - 3))}${id.slice(-3)}`;
}
