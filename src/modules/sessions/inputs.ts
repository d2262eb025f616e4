import { z } from "@hono/zod-openapi";
import { safeText } from "../../http/text.ts";
import { zodMessage } from "../../http/validation.ts";

const isoDate = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}$/,
    zodMessage({ vi: "phải là ngày dạng YYYY-MM-DD", en: "must be a date YYYY-MM-DD" }),
  );
const line = (max = 300) => safeText().trim().min(1).max(max);
const optionalLine = (max = 300) => safeText().trim().max(max).optional();
const longText = (max = 20_000) => safeText({ multiLine: true }).max(max);
const unitCode = safeText()
  .trim()
  .regex(/^\d{2,5}$/, zodMessage({ vi: "phải là mã đơn vị hành chính", en: "must be a unit code" }));

export const meetingInput = z
  .object({
    title: line(500),
    heldOn: isoDate,
    place: line(),
    issuerUnitCode: unitCode,
    issuingBody: line(),
    parentBody: optionalLine(),
    chairName: line(),
    chairPosition: line(),
    agenda: longText().optional(),
    minutes: longText(100_000).optional(),
    delegates: z
      .array(z.object({ name: line(), title: line(), body: line() }))
      .max(100)
      .default([]),
    units: z
      .array(z.object({ code: unitCode, report: longText().optional() }))
      .min(1)
      .max(100),
    notice: z
      .object({
        number: line(20),
        symbol: line(40),
        date: isoDate,
        signerName: line(),
        /** "T/M Ban Thường vụ" on one line and "Bí thư" on the next, as the signature block prints them. */
        signerTitle: safeText({ multiLine: true }).trim().min(1).max(300),
        recipients: longText(4000).optional(),
      })
      .optional(),
    isIllustrative: z.boolean().optional(),
  })
  .openapi("MeetingInput");

export const meetingPatch = z
  .object({
    expectedVersion: z.number().int().min(1),
    agenda: longText().optional(),
    minutes: longText(100_000).optional(),
    notice: meetingInput.shape.notice,
  })
  .openapi("MeetingPatch");

export const proposalCategories = [
  "staffing_quota",
  "public_investment",
  "infrastructure_project",
  "headquarters",
  "policy",
  "other",
] as const;
export const proposalOutcomes = ["accepted", "partly_accepted", "not_accepted", "noted"] as const;
export const proposalStatuses = ["received", "assigned", "under_review", "answered", "closed"] as const;

export const proposalInput = z
  .object({
    unitCode,
    issuerUnitCode: unitCode,
    meetingId: z.number().int().positive().optional(),
    category: z.enum(proposalCategories),
    content: safeText({ multiLine: true }).trim().min(5).max(10_000),
    amount: z.number().nonnegative().max(1e15).optional(),
    amountUnit: optionalLine(40),
    receivedOn: isoDate.optional(),
    isIllustrative: z.boolean().optional(),
  })
  .openapi("ProposalInput");

export const proposalActionInput = z
  .object({
    action: z.enum(["assign", "review", "draft", "publish", "close"]),
    expectedVersion: z.number().int().min(1),
    assignedTo: optionalLine(),
    answerDue: isoDate.optional(),
    outcome: z.enum(proposalOutcomes).optional(),
    answer: longText(20_000).optional(),
    note: longText(2000).optional(),
  })
  .openapi("ProposalAction");

export const directionInput = z
  .object({
    meetingId: z.number().int().positive().optional(),
    parentId: z.number().int().positive().optional(),
    issuerUnitCode: unitCode,
    sourceNumber: line(60),
    sourceDate: isoDate,
    sourceBody: line(),
    content: safeText({ multiLine: true }).trim().min(5).max(10_000),
    leadUnitCode: unitCode,
    cooperatingUnitCodes: z.array(unitCode).max(50).default([]),
    dueDate: isoDate,
    priority: z.enum(["high", "normal", "low"]).default("normal"),
    weight: z.number().positive().max(1000).default(1),
    isIllustrative: z.boolean().optional(),
  })
  .openapi("DirectionInput");

export const progressInput = z
  .object({
    expectedVersion: z.number().int().min(1),
    /** Checked by the operation (422 above 100), not here, so the answer names the rule. */
    percent: z.number().int(),
    narrative: safeText({ multiLine: true }).trim().min(1).max(10_000),
    reason: longText(2000).optional(),
  })
  .openapi("ProgressInput");

export const extensionInput = z
  .object({
    requestedDue: isoDate,
    reason: safeText({ multiLine: true }).trim().min(5).max(2000),
  })
  .openapi("ExtensionInput");

export const extensionDecisionInput = z
  .object({
    decision: z.enum(["approved", "refused"]),
    note: longText(2000).optional(),
  })
  .openapi("ExtensionDecision");

export const directionStatuses = ["in_progress", "overdue", "completed_on_time", "completed_late"] as const;

export const directionQuery = z.object({
  unit: unitCode.optional(),
  issuer: unitCode.optional(),
  meeting: z.coerce.number().int().positive().optional(),
  status: z.enum(directionStatuses).optional(),
  open: z.enum(["true", "false"]).optional(),
});

export const proposalQuery = z.object({
  unit: unitCode.optional(),
  meeting: z.coerce.number().int().positive().optional(),
  status: z.enum(proposalStatuses).optional(),
  overdue: z.enum(["true", "false"]).optional(),
  open: z.enum(["true", "false"]).optional(),
});
