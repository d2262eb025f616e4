import { join } from "node:path";
import { projectRoot } from "../../paths.ts";

/**
 * An administrative document in the layout of Decree 30/2020/NĐ-CP (Appendix I): the issuing body and the national
 * motto side by side, the number and symbol under the body, place and date under the motto, the kind and title in
 * the middle, the body, then "Nơi nhận:" on the left and the signature block on the right. Any module that exports
 * such a document (a working session's conclusion notice, a standards report) describes it with this type and
 * renders it with `renderDocx` / `renderPdf`, so the layout lives in one place.
 */
export interface AdminDocument {
  /** The body above the issuer, printed over it (e.g. "ĐẢNG BỘ TỈNH SƠN LA"); empty when there is none. */
  parentBody: string;
  /** The issuing body (e.g. "BAN THƯỜNG VỤ TỈNH ỦY"). */
  issuingBody: string;
  /** "Số: 12-TB/TU". */
  numberAndSymbol: string;
  /** The place name in the date line ("Sơn La"). */
  place: string;
  /** YYYY-MM-DD. */
  date: string;
  /** The kind of document, printed in capitals ("THÔNG BÁO"). */
  kind: string;
  /** What it is about, printed in bold under the kind. */
  title: string;
  body: Block[];
  recipients: string[];
  signature: {
    /** "T/M BAN THƯỜNG VỤ"; empty when the signer signs in their own name. */
    authority: string;
    /** "BÍ THƯ". */
    title: string;
    name: string;
  };
}

export type Block =
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string }
  /** A numbered or lettered item: "1." and its text. */
  | { kind: "item"; label: string; text: string };

/** The motto every state document carries (Decree 30/2020/NĐ-CP, Appendix I). */
export const nationalMotto = {
  country: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
  motto: "Độc lập - Tự do - Hạnh phúc",
} as const;

/** "Sơn La, ngày 05 tháng 01 năm 2026": days and months below 10 take a leading zero (Decree 30, Appendix I). */
export function placeAndDate(place: string, isoDate: string): string {
  const [year, month, day] = isoDate.split("-");
  return `${place}, ngày ${day} tháng ${month} năm ${year}`;
}

/**
 * The page and type of the layout: A4; margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm; Times New
 * Roman (or metric-compatible Tinos) 13–14 pt for the body, 12–13 pt for the header lines, 11 pt for recipients.
 */
export const page = {
  widthMm: 210,
  heightMm: 297,
  marginMm: { top: 20, bottom: 20, left: 30, right: 15 },
  bodyPt: 14,
  headerPt: 13,
  recipientsPt: 11,
  /** First-line indent of body paragraphs. */
  indentMm: 12.7,
} as const;

export const tinosFolder = join(projectRoot, "data", "fonts", "tinos");
