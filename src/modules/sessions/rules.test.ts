import { describe, expect, it } from "vitest";
import { directionStatus, isAnswerOverdue, nextProposalStatus, weightedProgress } from "./rules.ts";

describe("proposal state machine", () => {
  it("goes received → assigned → under review → answered → closed", () => {
    expect(nextProposalStatus("received", "assign")).toBe("assigned");
    expect(nextProposalStatus("assigned", "review")).toBe("under_review");
    expect(nextProposalStatus("under_review", "publish")).toBe("answered");
    expect(nextProposalStatus("answered", "close")).toBe("closed");
  });

  it("keeps the status when an answer is only drafted", () => {
    expect(nextProposalStatus("under_review", "draft")).toBe("under_review");
  });

  it("refuses to publish an answer to a proposal nobody was assigned", () => {
    expect(nextProposalStatus("received", "publish")).toBeNull();
  });

  it("refuses to close a proposal that has no published answer", () => {
    expect(nextProposalStatus("under_review", "close")).toBeNull();
  });

  it("refuses any step on a closed proposal", () => {
    for (const action of ["assign", "review", "draft", "publish", "close"] as const)
      expect(nextProposalStatus("closed", action)).toBeNull();
  });

  it("counts a proposal overdue only while it waits for an answer past its due date", () => {
    expect(isAnswerOverdue({ status: "under_review", answerDue: "2026-03-31" }, "2026-04-01")).toBe(true);
    expect(isAnswerOverdue({ status: "under_review", answerDue: "2026-03-31" }, "2026-03-31")).toBe(false);
    expect(isAnswerOverdue({ status: "answered", answerDue: "2026-03-31" }, "2026-04-01")).toBe(false);
  });
});

describe("direction status on a given day", () => {
  const due = { dueDate: "2026-06-30", extendedDue: null, completedOn: null };

  it("is in progress up to and on its due date", () => {
    expect(directionStatus(due, "2026-06-30")).toBe("in_progress");
  });

  it("is overdue the day after its due date", () => {
    expect(directionStatus(due, "2026-07-01")).toBe("overdue");
  });

  it("is completed on time when done by the due date, whatever day it is read", () => {
    expect(directionStatus({ ...due, completedOn: "2026-06-30" }, "2027-01-01")).toBe("completed_on_time");
  });

  it("is completed late when done after the due date", () => {
    expect(directionStatus({ ...due, completedOn: "2026-07-02" }, "2026-07-02")).toBe("completed_late");
  });

  it("measures against an approved extension instead of the original due date", () => {
    const extended = { ...due, extendedDue: "2026-09-30" };
    expect(directionStatus(extended, "2026-08-01")).toBe("in_progress");
    expect(directionStatus({ ...extended, completedOn: "2026-09-01" }, "2026-09-01")).toBe(
      "completed_on_time",
    );
  });
});

describe("weighted progress of sub-tasks", () => {
  it("weighs each sub-task's progress by its weight", () => {
    expect(
      weightedProgress([
        { weight: 2, progress: 100, completedOn: "2026-05-01" },
        { weight: 1, progress: 40, completedOn: null },
      ]).progress,
    ).toBe(80);
  });

  it("shows 100 % only when every sub-task is done, completed the day the last one was", () => {
    expect(
      weightedProgress([
        { weight: 1, progress: 100, completedOn: "2026-05-01" },
        { weight: 3, progress: 100, completedOn: "2026-06-10" },
      ]),
    ).toEqual({ progress: 100, completedOn: "2026-06-10" });
  });

  it("stays below 100 % while a sub-task is unfinished even when rounding would reach it", () => {
    expect(
      weightedProgress([
        { weight: 999, progress: 100, completedOn: "2026-05-01" },
        { weight: 1, progress: 99, completedOn: null },
      ]),
    ).toEqual({ progress: 99, completedOn: null });
  });
});
