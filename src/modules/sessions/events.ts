import type { DbOrTx } from "../../db/client.ts";
import { accountsScopedTo, notify } from "../notifications/notify.ts";

/** A title-length extract of a long text: its first 90 characters, cut at a word. */
function shorten(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= 90) return flat;
  const cut = flat.slice(0, 90);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 40 ? cut.lastIndexOf(" ") : 90)}…`;
}

const outcomeText: Record<string, { vi: string; en: string }> = {
  accepted: { vi: "chấp thuận", en: "accepted" },
  partly_accepted: { vi: "chấp thuận một phần", en: "partly accepted" },
  not_accepted: { vi: "không chấp thuận", en: "not accepted" },
  noted: { vi: "ghi nhận", en: "noted" },
};

/**
 * Tells the proposing unit's officers that the province published its answer to their proposal. Called inside the
 * transaction that publishes it, so the notification exists exactly when the answer does.
 */
export async function notifyAnswerPublished(
  tx: DbOrTx,
  proposal: { id: number; unitCode: string; content: string; outcome: string | null },
  today: string,
): Promise<number> {
  const recipients = await accountsScopedTo(tx, proposal.unitCode, ["commune_officer"], today);
  const outcome = outcomeText[proposal.outcome ?? ""] ?? { vi: "đã trả lời", en: "answered" };
  const what = shorten(proposal.content);
  return notify(
    tx,
    recipients.map((recipientId) => ({
      recipientId,
      kind: "answer_published",
      title: {
        vi: `Kiến nghị đã có trả lời (${outcome.vi}): ${what}`,
        en: `Your proposal was answered (${outcome.en}): ${what}`,
      },
      link: `/sessions/proposals/${proposal.id}`,
      itemRef: `proposals:${proposal.id}`,
      key: `answer_published:${proposal.id}:${recipientId}`,
    })),
  );
}

/** Tells the lead unit's officers that the issuer approved or refused their request for more time. */
export async function notifyExtensionDecided(
  tx: DbOrTx,
  decision: {
    requestId: number;
    directionId: number;
    leadUnitCode: string;
    content: string;
    decision: "approved" | "refused";
    requestedDue: string;
  },
  today: string,
): Promise<number> {
  const recipients = await accountsScopedTo(tx, decision.leadUnitCode, ["commune_officer"], today);
  const approved = decision.decision === "approved";
  const what = shorten(decision.content);
  const due = decision.requestedDue.split("-").reverse().join("/");
  return notify(
    tx,
    recipients.map((recipientId) => ({
      recipientId,
      kind: "extension_decided",
      title: approved
        ? { vi: `Được gia hạn đến ${due}: ${what}`, en: `Extended to ${due}: ${what}` }
        : { vi: `Đề nghị gia hạn bị từ chối: ${what}`, en: `Extension refused: ${what}` },
      link: `/sessions/directions/${decision.directionId}`,
      itemRef: `directions:${decision.directionId}`,
      key: `extension_decided:${decision.requestId}:${recipientId}`,
    })),
  );
}
