import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot, type Viewport } from "./browser.ts";

const baseUrl = inject("baseUrl");

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

/** A fresh profile per test: no language remembered, no cache, nothing carried over from the test before. */
async function openPage(viewport: Viewport, path: string): Promise<Page> {
  context = await newProfile(browser, viewport);
  page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  return page;
}

afterEach(async () => {
  await context.close();
});

describe("units browser", () => {
  beforeEach(async () => {
    await openPage(desktop, "/units");
  });

  it("is one click from the landing page a visitor sees at the home address", async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole("link", { name: "Tra cứu đơn vị hành chính" }).click();
    await page.waitForURL(/\/units$/);
    await page.getByRole("heading", { level: 1, name: "Đơn vị hành chính" }).waitFor();
    expect(await page.evaluate<string>("document.documentElement.lang")).toBe("vi");
  });

  it("finds Xã Chiềng Khương when the name is typed without diacritics", async () => {
    await page.getByRole("searchbox", { name: "Tìm đơn vị" }).fill("chieng khuong");
    const result = page
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: "Xã Chiềng Khương" }) });
    await result.first().waitFor();
    expect(await result.first().textContent()).toContain("Mã 04222");
    expect(await result.first().textContent()).toContain("Tỉnh Sơn La");
    await screenshot(page, "units-search-desktop");
  });

  it("keeps the search in the address, so a shared link shows the same results", async () => {
    await page.getByRole("searchbox", { name: "Tìm đơn vị" }).fill("04222");
    await page.waitForURL(/[?&]q=04222/);
    await page.goto(page.url());
    await page.getByRole("link", { name: "Xã Chiềng Khương" }).first().waitFor();
    expect(await page.getByRole("searchbox", { name: "Tìm đơn vị" }).inputValue()).toBe("04222");
  });

  it("marks a version that no longer holds as ended in the results", async () => {
    await page.getByRole("searchbox", { name: "Tìm đơn vị" }).fill("Chiềng Khương");
    const ended = page.getByRole("listitem").filter({ hasText: "Huyện Sông Mã" });
    await ended.first().waitFor();
    expect(await ended.first().textContent()).toContain("Hết hiệu lực");
    expect(await ended.first().textContent()).toContain("trước đây – 30/06/2025");
  });

  it("shows the three-level tree of 30/06/2025: Tỉnh Sơn La → Huyện Sông Mã → its communes", async () => {
    await page.getByRole("textbox", { name: "Ngày hiệu lực" }).fill("30/06/2025");
    await page.keyboard.press("Escape");
    await page.getByRole("heading", { name: "Danh sách đơn vị ngày 30/06/2025" }).waitFor();
    await page.getByText("63 đơn vị").waitFor();
    await page.getByRole("link", { name: "Tỉnh Sơn La", exact: true }).click();
    await page.getByRole("link", { name: "Huyện Sông Mã", exact: true }).click();
    const trail = page.getByRole("navigation", { name: "Vị trí trong cây đơn vị" });
    await trail.getByText("Huyện Sông Mã").waitFor();
    expect(await trail.textContent()).toMatch(/Cả nước\s*›\s*Tỉnh Sơn La\s*›\s*Huyện Sông Mã/);
    await page.getByRole("link", { name: "Thị trấn Sông Mã", exact: true }).waitFor();
    expect(page.url()).toContain("at=2025-06-30");
    await screenshot(page, "units-tree-2025-06-30-desktop");
  });

  it("shows today's two-level tree, where Tỉnh Sơn La holds communes directly", async () => {
    await page.getByRole("link", { name: "Tỉnh Sơn La", exact: true }).click();
    await page.getByRole("link", { name: "Xã Sông Mã", exact: true }).waitFor();
    await screenshot(page, "units-tree-today-desktop");
  });
});

describe("unit page", () => {
  it("opens Xã Sông Mã from a search and shows it formed from Thị trấn Sông Mã and Xã Nà Nghịu", async () => {
    await openPage(desktop, "/units");
    await page.getByRole("searchbox", { name: "Tìm đơn vị" }).fill("song ma");
    await page.getByRole("link", { name: "Xã Sông Mã", exact: true }).first().click();
    await page.getByRole("heading", { level: 1, name: "Xã Sông Mã" }).waitFor();
    const formedFrom = page.getByRole("region", { name: "Hình thành từ" });
    await formedFrom.getByRole("link", { name: "Thị trấn Sông Mã" }).waitFor();
    await formedFrom.getByRole("link", { name: "Xã Nà Nghịu" }).waitFor();
    expect(await formedFrom.textContent()).toContain("1681/NQ-UBTVQH15");
    expect(await formedFrom.textContent()).toContain("Toàn bộ");
    await screenshot(page, "unit-04168-desktop");
  });

  it("tells in the code history that 04168 was Thị trấn Sông Mã until 30/06/2025, then Xã Sông Mã", async () => {
    await openPage(desktop, "/units/04168");
    const history = page.getByRole("region", { name: "Lịch sử mã" });
    const versions = history.getByRole("listitem");
    await versions.first().waitFor();
    expect(await versions.count()).toBe(2);
    expect(await versions.nth(0).textContent()).toMatch(/Thị trấn Sông Mã[\s\S]*đến 30\/06\/2025/);
    expect(await versions.nth(1).textContent()).toMatch(/Xã Sông Mã[\s\S]*từ 01\/07\/2025/);
  });

  it("opens the old version when a predecessor sharing the code is followed", async () => {
    await openPage(desktop, "/units/04168");
    await page
      .getByRole("region", { name: "Hình thành từ" })
      .getByRole("link", { name: "Thị trấn Sông Mã" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Thị trấn Sông Mã" }).waitFor();
    expect(page.url()).toContain("/units/04168?at=2025-06-30");
    const became = page.getByRole("region", { name: "Chuyển thành" });
    await became.getByRole("link", { name: "Xã Sông Mã" }).waitFor();
    await screenshot(page, "unit-04168-2025-06-30-desktop");
  });

  it("marks the illustrative villages of Xã Sông Mã as such", async () => {
    await openPage(desktop, "/units/04168");
    const children = page.getByRole("region", { name: /^Đơn vị trực thuộc/ });
    await children.getByRole("link", { name: "Bản 1", exact: true }).waitFor();
    expect(await children.textContent()).toContain("Dữ liệu minh hoạ");
  });

  it("says in Vietnamese that no unit has an unknown code", async () => {
    await openPage(desktop, "/units/99999");
    await page.getByRole("heading", { level: 1, name: "Không tìm thấy đơn vị" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("99999");
  });
});

describe("language", () => {
  it("switches to English, sets the page language and remembers the choice", async () => {
    await openPage(desktop, "/units/04168");
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Formed from" }).waitFor();
    await page.getByRole("heading", { name: "Code history" }).waitFor();
    expect(await page.evaluate<string>("document.documentElement.lang")).toBe("en");
    await page.reload();
    await page.getByRole("heading", { name: "Formed from" }).waitFor();
    expect(await page.getByRole("region", { name: "Code history" }).textContent()).toContain(
      "until 30/06/2025",
    );
    await screenshot(page, "unit-04168-en-desktop");
  });
});

describe("on a 360 px phone", () => {
  it.each([
    ["units-browser-phone", "/units"],
    ["units-tree-2025-06-30-phone", "/units?at=2025-06-30&parent=126"],
    ["unit-04168-phone", "/units/04168"],
  ])("shows %s without sideways scrolling", async (name, path) => {
    await openPage(phone, path);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page
      .getByRole("table")
      .or(page.getByRole("region", { name: "Lịch sử mã" }))
      .first()
      .waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      phone.width,
    );
    await screenshot(page, name);
  });
});
