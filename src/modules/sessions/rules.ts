/**
 * The rules of working sessions that need no database: the proposal state machine, the computed status of a
 * direction (Decision 42/2014/QĐ-TTg, amended by Decision 23/2018: completed on time, completed late, in progress
 * within deadline, overdue — computed from the deadline when read, never stored) and weighted progress.
 */

export type ProposalStatus = "received" | "assigned" | "under_review" | "answered" | "closed";
export type ProposalOutcome = "accepted" | "partly_accepted" | "not_accepted" | "noted";
export type ProposalAction = "assign" | "review" | "draft" | "publish" | "close";

/** Which action leaves which status and where it leads; drafting an answer changes nothing the unit sees. */
export const proposalTransitions: Record<
  ProposalAction,
  { from: readonly ProposalStatus[]; to: ProposalStatus | "same" }
> = {
  assign: { from: ["received", "assigned"], to: "assigned" },
  review: { from: ["assigned"], to: "under_review" },
  draft: { from: ["assigned", "under_review"], to: "same" },
  publish: { from: ["assigned", "under_review"], to: "answered" },
  close: { from: ["answered"], to: "closed" },
};

/** The status a proposal takes after an action, or null when the action is not allowed from where it is. */
export function nextProposalStatus(from: ProposalStatus, action: ProposalAction): ProposalStatus | null {
  const rule = proposalTransitions[action];
  if (!rule.from.includes(from)) return null;
  return rule.to === "same" ? from : rule.to;
}

/** Whether a proposal is waiting for the province's answer past its due date (on `today`). */
export function isAnswerOverdue(
  p: { status: ProposalStatus; answerDue: string | null },
  today: string,
): boolean {
  return (
    p.answerDue !== null &&
    (p.status === "received" || p.status === "assigned" || p.status === "under_review") &&
    today > p.answerDue
  );
}

export type DirectionStatus = "in_progress" | "overdue" | "completed_on_time" | "completed_late";

export interface DirectionTiming {
  dueDate: string;
  /** The due date of an approved extension, which replaces the original one. */
  extendedDue: string | null;
  /** The day progress reached 100 %, or null. */
  completedOn: string | null;
}

/** The deadline in force: an approved extension's, else the original. */
export const effectiveDue = (d: DirectionTiming) => d.extendedDue ?? d.dueDate;

/** A direction's status on `today` (YYYY-MM-DD). A task due today is still within its deadline. */
export function directionStatus(d: DirectionTiming, today: string): DirectionStatus {
  const due = effectiveDue(d);
  if (d.completedOn !== null) return d.completedOn <= due ? "completed_on_time" : "completed_late";
  return today > due ? "overdue" : "in_progress";
}

export interface Weighted {
  weight: number;
  progress: number;
  completedOn: string | null;
}

/**
 * A parent's progress from its sub-tasks: the weighted mean of their progress, rounded down so that a parent shows
 * 100 % only when every sub-task is done. Completed on the day the last sub-task was.
 */
export function weightedProgress(children: readonly Weighted[]): {
  progress: number;
  completedOn: string | null;
} {
  const total = children.reduce((s, c) => s + c.weight, 0);
  if (children.length === 0 || total <= 0) return { progress: 0, completedOn: null };
  const done = children.every((c) => c.completedOn !== null);
  const mean = children.reduce((s, c) => s + c.weight * c.progress, 0) / total;
  const progress = done ? 100 : Math.min(99, Math.floor(mean + 1e-9));
  const completedOn = done
    ? children.reduce((last, c) => ((c.completedOn ?? "") > last ? (c.completedOn ?? "") : last), "")
    : null;
  return { progress, completedOn };
}
