import { describe, expect, it } from "vitest";
import { attachment } from "./download.ts";

describe("attachment", () => {
  it("keeps a Vietnamese file name in filename* and gives an ASCII fallback", () => {
    expect(attachment("số-liệu-Chiềng Khương.xlsx")).toBe(
      `attachment; filename="so-lieu-Chieng Khuong.xlsx"; filename*=UTF-8''s%E1%BB%91-li%E1%BB%87u-Chi%E1%BB%81ng%20Kh%C6%B0%C6%A1ng.xlsx`,
    );
  });

  it("writes nothing a header cannot carry, whatever the name holds", () => {
    const header = attachment('a"b\\c\r\n\u0000đ\uD800(x)*\u4e2d.csv');
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(header).toContain(`filename="a_b_c___d_(x)*_.csv"`);
  });

  it("is accepted as a header value by the platform", () => {
    expect(() => new Headers({ "content-disposition": attachment("Chiềng Khương.csv") })).not.toThrow();
  });
});
