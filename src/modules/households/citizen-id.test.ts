import { describe, expect, it } from "vitest";
import { citizenIdProblem, maskCitizenId } from "./citizen-id.ts";

describe("citizen ID check", () => {
  it("accepts an ID whose province, century, year and sex agree with the member", () => {
    expect(citizenIdProblem("014185001234", { birthYear: 1985, sex: "female" })).toBeNull();
  });
  it("refuses an ID of the wrong length", () => {
    expect(citizenIdProblem("01418500123")?.en).toContain("12 digits");
  });
  it("refuses digits that start with no province code", () => {
    expect(citizenIdProblem("999185001234")?.en).toContain("no province code");
  });
  it("refuses an ID whose encoded birth year is not the member's", () => {
    expect(citizenIdProblem("014085001234", { birthYear: 1986 })?.en).toContain("1985");
  });
  it("reads the 2000s from the century digit", () => {
    expect(citizenIdProblem("014310001234", { birthYear: 2010, sex: "female" })).toBeNull();
  });
  it("refuses an ID whose sex digit is not the member's", () => {
    expect(citizenIdProblem("014085001234", { sex: "female" })?.en).toContain("sex");
  });
  it("masks all but the last three digits", () => {
    expect(maskCitizenId("014085001234")).toBe("*********234");
  });
});
