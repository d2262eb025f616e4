import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayBefore, kindFromName, todayInVietnam, toSearchText } from "./text.ts";

describe("search text", () => {
  it("drops diacritics and đ, and lower-cases", () => {
    expect(toSearchText("Xã Chiềng Khương, ĐẮK LẮK")).toBe("xa chieng khuong, dak lak");
  });

  it("is the same for NFC and NFD forms of a name", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("Chiềng Khương", "Nậm Cắn", "Hữu Lập", "Mường Lống", "Đặc khu Phú Quốc"),
        (name) => {
          expect(toSearchText(name.normalize("NFD"))).toBe(toSearchText(name.normalize("NFC")));
        },
      ),
    );
  });
});

describe("unit kinds", () => {
  it.each([
    ["Thị trấn Sông Mã", "commune", "township"],
    ["Thành phố Hà Nội", "province", "centrally_run_city"],
    ["Thành phố Sơn La", "district", "provincial_city"],
    ["Đặc khu Côn Đảo", "commune", "special_zone"],
    ["Phường Ba Đình", "commune", "ward"],
  ] as const)("reads %s at level %s as %s", (name, level, kind) => {
    expect(kindFromName(name, level)).toBe(kind);
  });

  it("reads nothing from a name that does not announce its level", () => {
    expect(kindFromName("Huyện Kiên Hải", "commune")).toBeUndefined();
  });
});

describe("dates", () => {
  it("steps back over a month and a leap day", () => {
    expect([dayBefore("2025-07-01"), dayBefore("2024-03-01")]).toEqual(["2025-06-30", "2024-02-29"]);
  });

  it("takes today in Vietnam, seven hours ahead of UTC", () => {
    expect(todayInVietnam(new Date("2025-06-30T17:30:00Z"))).toBe("2025-07-01");
  });
});
