import type { DueItem, DueWorkContext, DueWorkSource } from "../home/due-work.ts";
import type { SessionsContext } from "./common.ts";
import { listDirections, pendingExtensions } from "./directions.ts";
import { listProposals } from "./proposals.ts";

/** How far ahead a direction's due date puts it on the home list. */
const DUE_SOON_DAYS = 30;

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const ctxOf = (c: DueWorkContext): SessionsContext => ({ actor: c.actor, requestId: null, today: c.today });
const clip = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

/**
 * Directions led by the reader's own unit that are overdue or due within 30 days. Only the reader's unit itself
 * (not its whole subtree): a province officer is not handed every commune's tasks as their own.
 */
const directions: DueWorkSource = async (c) => {
  const scope = c.actor.scope;
  if (!scope) return [];
  const soon = addDays(c.today, DUE_SOON_DAYS);
  const list = await listDirections(c.db, ctxOf(c), { unit: scope.code, open: true });
  return list
    .filter((d) => d.status === "overdue" || d.effectiveDue <= soon)
    .map(
      (d): DueItem => ({
        source: "directions",
        id: String(d.id),
        unitCode: d.leadUnit.code,
        unitName: d.leadUnit.name,
        title: { vi: `Nhiệm vụ: ${clip(d.content)}`, en: `Direction: ${clip(d.content)}` },
        state: d.status === "overdue" ? "overdue" : "due",
        dueDate: d.effectiveDue,
        reason: null,
        link: `/sessions/directions/${d.id}`,
      }),
    );
};

/** Proposals addressed to the reader's province that wait for its answer; overdue past their answer due date. */
const proposals: DueWorkSource = async (c) => {
  const scope = c.actor.scope;
  const answerer = c.actor.role === "province_admin" || c.actor.role === "province_officer";
  if (!scope || !answerer) return [];
  const list = await listProposals(c.db, ctxOf(c), { open: true });
  return list
    .filter((p) => p.issuerUnitCode === scope.code)
    .map(
      (p): DueItem => ({
        source: "proposals",
        id: String(p.id),
        unitCode: p.unit.code,
        unitName: p.unit.name,
        title: { vi: `Kiến nghị: ${clip(p.content)}`, en: `Proposal: ${clip(p.content)}` },
        state: p.isOverdue ? "overdue" : "awaiting_answer",
        dueDate: p.answerDue,
        reason: null,
        link: `/sessions/proposals/${p.id}`,
      }),
    );
};

/** Extension requests on directions the reader's province issued, waiting for its decision. */
const extensions: DueWorkSource = async (c) => {
  const answerer = c.actor.role === "province_admin" || c.actor.role === "province_officer";
  if (!c.actor.scope || !answerer) return [];
  const list = await pendingExtensions(c.db, ctxOf(c));
  return list.map(
    (e): DueItem => ({
      source: "direction-extensions",
      id: String(e.id),
      unitCode: e.direction.leadUnitCode,
      unitName: e.direction.leadUnit,
      title: {
        vi: `Xin gia hạn đến ${e.requestedDue.split("-").reverse().join("/")}: ${clip(e.direction.content)}`,
        en: `Extension to ${e.requestedDue} asked: ${clip(e.direction.content)}`,
      },
      state: "awaiting_approval",
      dueDate: null,
      reason: { vi: e.reason, en: e.reason },
      link: `/sessions/directions/${e.direction.id}`,
    }),
  );
};

export const sessionsDueWork = {
  directions,
  proposals,
  "direction-extensions": extensions,
} as const satisfies Record<string, DueWorkSource>;
