import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { invalidInput } from "./route.ts";
import { safeText } from "./text.ts";

describe("validation messages", () => {
  it("names the field's problem in Vietnamese and English, from zod's own locales", () => {
    const result = z.object({ name: z.string().min(3) }).safeParse({ name: "a" });
    const error = invalidInput(result.error?.issues ?? []);
    expect(error.messages).toEqual({
      vi: expect.stringMatching(/^Dữ liệu không hợp lệ: name \(.*3.*\)$/),
      en: expect.stringMatching(/^Invalid name \(Too small.*3.*\)$/),
    });
  });

  it("gives our own check messages both languages", () => {
    const result = z.object({ comment: safeText() }).safeParse({ comment: "a\u0000b" });
    const [field] = (invalidInput(result.error?.issues ?? []).details as { fields: unknown[] }).fields;
    expect(field).toEqual({
      field: "comment",
      message: expect.stringContaining("control characters"),
      messages: {
        vi: expect.stringContaining("ký tự điều khiển"),
        en: expect.stringContaining("control characters"),
      },
    });
  });
});
