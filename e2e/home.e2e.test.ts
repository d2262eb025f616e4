import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * An officer's day in the browser. A commune officer of Xã Chiềng Sơ (04195), made for this run (no other browser
 * test writes to 04195), signs in and lands on "Việc cần làm" with the overdue 2025 report first; Sơn La's province
 * officer reminds every late commune in one click, and the reminder reaches the commune officer's bell. On the demo
 * data nothing has been submitted for 2025, whose deadline (31/01/2026) has passed.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const runId = Date.now().toString(36);
const communeUser = { username: `e2e.home.${runId}`, password: `Chieng-So-${runId}-rất-dài` };
const formName = "Báo cáo kinh tế – xã hội cấp xã (minh hoạ)";

let browser: Browser;
let commune: { context: BrowserContext; page: Page };
let province: { context: BrowserContext; page: Page };

async function profile(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newProfile(browser, desktop);
  return { context, page: await context.newPage() };
}

/** Both screenshots of what the page shows now: desktop, then a 360 px phone with nothing wider than it. */
async function screenshots(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(phone);
  await page.getByRole("heading", { level: 1 }).waitFor();
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
    phone.width,
  );
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(desktop);
}

/** The header's one line at 1366 px: no navigation link wrapped onto a second line, nothing beyond its width. */
async function headerFits(page: Page): Promise<boolean> {
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link").first().waitFor();
  return page.getByRole("banner").evaluate((el) => {
    const links = Array.from(el.querySelectorAll("nav a"), (a) => a.getBoundingClientRect());
    return el.scrollWidth <= el.clientWidth + 1 && links.every((r) => r.height < 30);
  });
}

beforeAll(async () => {
  browser = await launchBrowser();
  const admin = await profile();
  const signIn = await admin.page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username: "admin", password: passwords.admin },
  });
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const created = await admin.page.request.post(`${baseUrl}/api/v1/users`, {
    data: {
      username: communeUser.username,
      displayName: "Cán bộ xã Chiềng Sơ",
      role: "commune_officer",
      scopeCode: "04195",
      password: communeUser.password,
    },
    headers: { "x-csrf-token": csrfToken },
  });
  expect(created.status()).toBe(201);
  await admin.context.close();
  commune = await profile();
  province = await profile();
});

afterAll(async () => {
  await browser.close();
});

describe("a visitor", () => {
  it("is told what Grassroots is and how to sign in", async () => {
    const visitor = await profile();
    await visitor.page.goto(`${baseUrl}/`);
    await visitor.page
      .getByRole("heading", { level: 1, name: /Grassroots — thông tin quản trị cấp cơ sở/ })
      .waitFor();
    await visitor.page.getByRole("main").getByRole("link", { name: "Đăng nhập" }).waitFor();
    await screenshots(visitor.page, "home-landing");
    await visitor.context.close();
  });
});

describe("a commune officer's day", () => {
  it("lands on their home page after signing in, the overdue report first", async () => {
    const { page } = commune;
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel("Tên đăng nhập").fill(communeUser.username);
    const password = page.getByLabel("Mật khẩu", { exact: true });
    await password.fill(communeUser.password);
    await password.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Việc cần làm" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    const first = page.getByRole("list", { name: "Danh sách việc cần làm" }).getByRole("listitem").first();
    const text = await first.textContent();
    expect([
      text?.includes("Quá hạn"),
      text?.includes(`${formName} — Năm 2025`),
      text?.includes("Xã Chiềng Sơ"),
    ]).toEqual([true, true, true]);
    await screenshots(page, "home-commune");
  });

  it("opens the overdue report's form in one click", async () => {
    const { page } = commune;
    await page
      .getByRole("list", { name: "Danh sách việc cần làm" })
      .getByRole("listitem")
      .first()
      .getByRole("link", { name: `${formName} — Năm 2025` })
      .click();
    await page.waitForURL(/\/reports\/entry\?form=KTXH_XA&unit=04195&period=2025/);
    await page.getByText("Xã Chiềng Sơ — Năm 2025").waitFor();
  });

  it("keeps the header on one line at 1366 px with the bell in it", async () => {
    expect(await headerFits(commune.page)).toBe(true);
  });
});

describe("a province officer's day", () => {
  it("sees the late communes of Sơn La and reminds them all in one click", async () => {
    const { page } = province;
    const signIn = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
      data: { username: "sonla.officer", password: passwords["sonla.officer"] },
    });
    expect(signIn.status()).toBe(200);
    await page.goto(`${baseUrl}/`);
    await page.getByRole("heading", { level: 1, name: "Việc cần làm" }).waitFor();
    const late = page
      .getByRole("listitem")
      .filter({ hasText: `${formName} — Năm 2025:` })
      .filter({ hasText: "đơn vị chưa nộp" });
    await late.waitFor();
    await screenshots(page, "home-province");
    await late.getByRole("button", { name: /^Nhắc \d+ đơn vị$/ }).click();
    await page.getByRole("status").filter({ hasText: "Đã gửi nhắc nhở tới" }).waitFor();
  });

  it("keeps the header on one line at 1366 px", async () => {
    expect(await headerFits(province.page)).toBe(true);
  });
});

describe("the reminder in the commune officer's bell", () => {
  it("shows the unread count on the bell", async () => {
    const { page } = commune;
    await page.goto(`${baseUrl}/`);
    await page.getByRole("button", { name: /^Thông báo, \d+ chưa đọc$/ }).waitFor();
  });

  it("lists the reminder and opens the report from it", async () => {
    const { page } = commune;
    await page.getByRole("button", { name: /^Thông báo, \d+ chưa đọc$/ }).click();
    const reminder = page.getByRole("link", { name: /Nhắc nộp báo cáo: .* — Năm 2025/ });
    await reminder.waitFor();
    await screenshot(page, "home-bell-desktop");
    await reminder.click();
    await page.waitForURL(/\/reports\/entry\?form=KTXH_XA&unit=04195&period=2025/);
    await page.getByRole("button", { name: "Thông báo", exact: true }).waitFor();
  });

  it("lists it on the notifications page", async () => {
    const { page } = commune;
    await page.goto(`${baseUrl}/notifications`);
    await page.getByRole("heading", { level: 1, name: "Thông báo" }).waitFor();
    await page.getByRole("link", { name: /Nhắc nộp báo cáo: .* — Năm 2025/ }).waitFor();
    await screenshots(page, "home-notifications");
  });

  it("lets the officer choose which notifications reach them by e-mail", async () => {
    const { page } = commune;
    await page.goto(`${baseUrl}/account`);
    await page.getByLabel("Địa chỉ e-mail").fill("chiengso@example.vn");
    await page.getByRole("checkbox", { name: "Báo cáo đã được duyệt" }).check();
    await page.getByRole("button", { name: "Lưu lựa chọn" }).click();
    await page.getByRole("status").filter({ hasText: "Đã lưu." }).waitFor();
    await page.reload();
    await page.getByRole("checkbox", { name: "Báo cáo đã được duyệt" }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Báo cáo đã được duyệt" }).isChecked()).toBe(true);
    await screenshots(page, "home-email-choices");
  });
});
