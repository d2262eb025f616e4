import { randomBytes, randomInt } from "node:crypto";
import { type Algorithm, hash, verify } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { badRequest, type Localized } from "../../http/errors.ts";
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

/**
 * Words Vietnamese passwords are made of that the estimator's English and common-password dictionaries do not hold:
 * "mật khẩu", the country, its provinces and big cities, and a few phrases (written without diacritics; passwords
 * are checked with and without theirs).
 */
const vietnameseWords = [
  "matkhau",
  "vietnam",
  "anhyeuem",
  "emyeuanh",
  "yeuem",
  "yeuanh",
  "toiyeuem",
  "iloveyou",
  "xinchao",
  "chaoban",
  "hanoi",
  "saigon",
  "hochiminh",
  "danang",
  "haiphong",
  "cantho",
  "hue",
  "nghean",
  "sonla",
  "laocai",
  "dienbien",
  "laichau",
  "hagiang",
  "tuyenquang",
  "caobang",
  "langson",
  "thainguyen",
  "phutho",
  "bacninh",
  "quangninh",
  "hungyen",
  "ninhbinh",
  "thanhhoa",
  "hatinh",
  "quangtri",
  "quangngai",
  "gialai",
  "daklak",
  "khanhhoa",
  "lamdong",
  "dongnai",
  "tayninh",
  "dongthap",
  "vinhlong",
  "angiang",
  "camau",
  "quehuong",
  "giadinh",
  "baove",
  "coso",
  "xaphuong",
  "ubnd",
  "huyen",
  "tinh",
  "thonban",
  "canbo",
  "quantri",
  "admin",
  "grassroots",
  "caphe",
  "bongda",
];

let estimator: ZxcvbnFactory | undefined;
function strength(password: string, userInputs: string[]): number {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary, vietnamese: vietnameseWords },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  const plain = toSearchText(password).replace(/\s/g, "");
  const scores = [estimator.check(password.slice(0, 100), userInputs).score];
  if (plain !== password) scores.push(estimator.check(plain.slice(0, 100), userInputs).score);
  return Math.min(...scores);
}

export const MIN_PASSWORD_LENGTH = 10;
/**
 * The least zxcvbn score (0–4) a new password needs: 3, "safely unguessable: moderate protection from offline
 * slow-hash scenario" — argon2id is such a slow hash, and the sign-in backoff guards the online case.
 */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Why a new password is too weak, or null. Length first (NIST SP 800-63B), then a real estimate of how guessable it
 * is: zxcvbn-ts with its common-password lists (tens of thousands of leaked passwords), English and common words,
 * keyboard patterns, dates and repetitions, Vietnamese words, and the account's own name. No composition rules.
 */
export function passwordWeakness(password: string, username: string, displayName = ""): Localized | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return {
      vi: `cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự`,
      en: `at least ${MIN_PASSWORD_LENGTH} characters are needed`,
    };
  if (password.length > 200) return { vi: "tối đa 200 ký tự", en: "at most 200 characters" };
  if (new Set(password).size < 4) return { vi: "quá ít ký tự khác nhau", en: "too few different characters" };
  const plain = toSearchText(password).replace(/\s/g, "");
  if (username && plain.includes(toSearchText(username).replace(/\s/g, "")))
    return { vi: "mật khẩu chứa tên đăng nhập", en: "it contains the sign-in name" };
  const inputs = [username, displayName, ...toSearchText(displayName).split(/\s+/)].filter(
    (w) => w.length > 2,
  );
  if (strength(password, inputs) < MIN_PASSWORD_SCORE)
    return {
      vi: "mật khẩu dễ đoán (từ phổ biến, dãy phím, ngày tháng hoặc mật khẩu đã bị lộ); hãy dùng vài từ ít gặp ghép lại",
      en: "it is easy to guess (a common or leaked password, a word, a keyboard pattern or a date); join a few uncommon words",
    };
  return null;
}

export function assertStrongPassword(
  password: string,
  username: string,
  field = "newPassword",
  displayName = "",
): void {
  const why = passwordWeakness(password, username, displayName);
  if (why)
    throw badRequest(
      "weak_password",
      { vi: `Mật khẩu quá yếu: ${why.vi}.`, en: `The password is too weak: ${why.en}.` },
      { fields: [{ field, message: why.en, messages: why }] },
    );
}

/** A random password a person can type: 4 groups of 4 letters and digits without look-alikes. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const chars = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}
