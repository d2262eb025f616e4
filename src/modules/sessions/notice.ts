import type { DbOrTx } from "../../db/client.ts";
import { unprocessable } from "../../http/errors.ts";
import type { AdminDocument, Block } from "../documents/admin-document.ts";
import { unitVersionsOn } from "../units/queries.ts";
import type { SessionsContext } from "./common.ts";
import { listDirections } from "./directions.ts";
import { getMeeting } from "./meetings.ts";
import { listProposals } from "./proposals.ts";

const viDate = (iso: string) => iso.split("-").reverse().join("/");

const outcomeVi: Record<string, string> = {
  accepted: "Đồng ý",
  partly_accepted: "Đồng ý một phần",
  not_accepted: "Không đồng ý",
  noted: "Ghi nhận",
};

/**
 * The conclusion notice (thông báo kết luận) of a meeting, as an administrative document: the directions given, each
 * with its lead unit and due date, and the answers to the proposals raised. Only published answers are printed; a
 * proposal still under review says who studies it and by when.
 */
export async function conclusionNotice(
  db: DbOrTx,
  ctx: SessionsContext,
  meetingId: number,
): Promise<AdminDocument> {
  const meeting = await getMeeting(db, ctx, meetingId);
  if (!meeting.notice)
    throw unprocessable("notice_not_issued", {
      vi: "Cuộc họp chưa có số và ngày thông báo kết luận.",
      en: "The meeting's conclusion notice has no number and date yet.",
    });
  const directionList = await listDirections(db, ctx, { meeting: meetingId });
  const proposalList = await listProposals(db, ctx, { meeting: meetingId });
  const unitNames = meeting.units.map((u) => u.name).join(", ");
  const body: Block[] = [
    {
      kind: "paragraph",
      text:
        `Ngày ${viDate(meeting.heldOn)}, tại ${meeting.place}, đồng chí ${meeting.chair.name}, ${meeting.chair.position}, ` +
        `chủ trì buổi làm việc với ${unitNames}.` +
        (meeting.delegates.length
          ? ` Tham dự có các đồng chí: ${meeting.delegates.map((d) => `${d.name}, ${d.title}`).join("; ")}.`
          : ""),
    },
    {
      kind: "paragraph",
      text: `Sau khi nghe báo cáo của các xã và ý kiến của các đại biểu, đồng chí ${meeting.chair.name} kết luận như sau:`,
    },
    { kind: "heading", text: "I. NHIỆM VỤ GIAO" },
  ];
  directionList.forEach((d, i) => {
    const cooperating = d.cooperatingUnits.length
      ? `; phối hợp: ${d.cooperatingUnits.map((u) => u.name).join(", ")}`
      : "";
    body.push({
      kind: "item",
      label: `${i + 1}.`,
      text: `${d.content} (Chủ trì: ${d.leadUnit.name}${cooperating}; thời hạn: ${viDate(d.effectiveDue)}).`,
    });
  });
  if (directionList.length === 0) body.push({ kind: "paragraph", text: "Không có nhiệm vụ giao." });
  body.push({ kind: "heading", text: "II. TRẢ LỜI KIẾN NGHỊ" });
  proposalList.forEach((p, i) => {
    const answer = p.answer
      ? `${outcomeVi[p.answer.outcome] ?? p.answer.outcome}. ${p.answer.text}`
      : p.assignedTo
        ? `Giao ${p.assignedTo} nghiên cứu, trả lời${p.answerDue ? ` trước ngày ${viDate(p.answerDue)}` : ""}.`
        : "Đang xem xét.";
    body.push({
      kind: "item",
      label: `${i + 1}.`,
      text: `Kiến nghị của ${p.unit.name}: ${p.content} — ${answer}`,
    });
  });
  if (proposalList.length === 0) body.push({ kind: "paragraph", text: "Không có kiến nghị." });
  body.push({
    kind: "paragraph",
    text: `${meeting.issuingBody} thông báo để các cơ quan, đơn vị liên quan biết, thực hiện.`,
  });
  const recipients = meeting.notice.recipients
    .split("\n")
    .map((r) => r.replace(/^[-–•]\s*/, "").trim())
    .filter(Boolean);
  const [issuer] = await unitVersionsOn(db, [meeting.issuerUnitCode], meeting.notice.date);
  const place = (issuer?.name ?? meeting.place).replace(/^(Tỉnh|Thành phố)\s+/, "");
  const [authority, ...title] = meeting.notice.signerTitle.split("\n");
  return {
    parentBody: meeting.parentBody,
    issuingBody: meeting.issuingBody,
    numberAndSymbol: `Số: ${meeting.notice.number}-${meeting.notice.symbol}`,
    place,
    date: meeting.notice.date,
    kind: "Thông báo",
    title: `Kết luận của đồng chí ${meeting.chair.name}, ${meeting.chair.position} tại buổi làm việc với ${unitNames}`,
    body,
    recipients: recipients.length ? recipients : ["Như trên", "Lưu VT"],
    signature: title.length
      ? { authority: authority ?? "", title: title.join(" "), name: meeting.notice.signerName }
      : { authority: "", title: authority ?? "", name: meeting.notice.signerName },
  };
}
