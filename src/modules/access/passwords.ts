import { randomBytes, randomInt } from "node:crypto";
import { type Algorithm, hash, verify } from "@node-rs/argon2";
import { badRequest } from "../../server/errors.ts";
import { toSearchText } from "../units/text.ts";

/** Algorithm.Argon2id; the library exports it as a const enum, which isolated modules cannot read. */
const ARGON2ID = 2 as Algorithm;

/** argon2id with the library's defaults (19 MiB, 2 passes), OWASP's baseline. */
export const hashPassword = (password: string) => hash(password, { algorithm: ARGON2ID });

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows: verifying against it costs what a real check costs, so timing tells no one apart. */
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = () => {
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return decoyHash;
};

const common = new Set(
  [
    "password",
    "password1",
    "matkhau",
    "matkhau123",
    "123456789",
    "1234567890",
    "12345678",
    "qwertyuiop",
    "abc123456",
    "iloveyou",
    "admin123",
    "administrator",
    "vietnam123",
    "grassroots",
    "11111111",
    "00000000",
    "abcd1234",
    "123456789a",
    "1234567890a",
    "a123456789",
    "qwerty123",
    "letmein123",
    "welcome123",
  ].map((p) => p.toLowerCase()),
);

export const MIN_PASSWORD_LENGTH = 10;

/** Why a new password is too weak, or null. Length matters most (NIST SP 800-63B); no composition rules. */
export function passwordWeakness(password: string, username: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters are needed`;
  if (password.length > 200) return "at most 200 characters";
  if (new Set(password).size < 4) return "too few different characters";
  if (common.has(password.toLowerCase())) return "it is one of the most common passwords";
  const plain = toSearchText(password).replace(/\s/g, "");
  if (username && plain.includes(toSearchText(username).replace(/\s/g, "")))
    return "it contains the sign-in name";
  return null;
}

export function assertStrongPassword(password: string, username: string, field = "newPassword"): void {
  const why = passwordWeakness(password, username);
  if (why)
    throw badRequest("weak_password", `The password is too weak: ${why}.`, {
      fields: [{ field, message: why }],
    });
}

/** A random password a person can type: 4 groups of 4 letters and digits without look-alikes. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const chars = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}
