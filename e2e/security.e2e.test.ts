import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { vi } from "../web/src/i18n/vi.ts";
import { desktop, launchBrowser, newProfile, phone, screenshot, type Viewport } from "./browser.ts";

/*
 * The security log in the browser: a province administrator sees a failed sign-in to one of the province's
 * accounts and another province's officer reading a Sơn La commune, with the name tried and never the password.
 * The e2e server is shared and its sign-in throttle real: this file makes one failed sign-in.
 */

const baseUrl = inject("baseUrl");
const demoPasswords = inject("demoPasswords");
/** The heading of a page one's role may not open (web/src/i18n/vi.ts auth.deniedTitle). */
const deniedTitle = vi.auth.deniedTitle;
const guessedPassword = `wrong-guess-${Date.now().toString(36)}`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await newProfile(browser, desktop);
  const page = await context.newPage();
  // A stranger's wrong guess at the Chiềng Khương officer's password.
  await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username: "chiengkhuong", password: guessedPassword },
  });
  // Nghệ An's officer asks for a Sơn La commune's report.
  await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username: "nghean.officer", password: demoPasswords["nghean.officer"] },
  });
  await page.request.get(`${baseUrl}/api/v1/data-entry?form=KTXH_XA&unit=04222&period=2025`);
  await context.close();
});

afterAll(async () => {
  await browser.close();
});

async function openAsSonLaAdmin(viewport: Viewport): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newProfile(browser, viewport);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/sign-in?next=%2Faudit`);
  await page.getByLabel("Tên đăng nhập").fill("sonla.admin");
  const field = page.getByLabel("Mật khẩu", { exact: true });
  await field.fill(demoPasswords["sonla.admin"] ?? "");
  await field.press("Enter");
  await page.waitForURL(/\/audit/);
  return { context, page };
}

describe("the security log", () => {
  it("shows a province administrator the failed sign-in and the out-of-scope read, from the audit page", async () => {
    const { context, page } = await openAsSonLaAdmin(desktop);
    await page.getByRole("link", { name: "Nhật ký bảo mật" }).click();
    await page.waitForURL(/\/security/);
    await page.getByRole("heading", { name: "Nhật ký bảo mật" }).waitFor();
    const failed = page.getByRole("row").filter({ hasText: "Thử tên “chiengkhuong”" });
    const outside = page.getByRole("row").filter({ hasText: "Ngoài phạm vi" });
    await failed.first().waitFor();
    await screenshot(page, "security-log-desktop");
    expect([
      await failed.first().textContent(),
      await outside.first().textContent(),
      await page.content(),
    ]).toEqual([
      expect.stringContaining("sai mật khẩu"),
      expect.stringContaining("/api/v1/data-entry"),
      expect.not.stringContaining(guessedPassword),
    ]);
    await context.close();
  });

  it("filters by kind of event and reads on a phone", async () => {
    const { context, page } = await openAsSonLaAdmin(phone);
    await page.goto(`${baseUrl}/security`);
    await page.getByLabel("Loại sự việc").selectOption("sign_in_failed");
    await page.waitForURL(/kind=sign_in_failed/);
    await page.getByRole("row").filter({ hasText: "Thử tên “chiengkhuong”" }).first().waitFor();
    await screenshot(page, "security-log-phone");
    const kinds = await page.getByRole("row").filter({ hasText: "Ngoài phạm vi" }).count();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect([kinds, width <= phone.width]).toEqual([0, true]);
    await context.close();
  });

  it("tells a province officer the page is not theirs", async () => {
    const context = await newProfile(browser, desktop);
    const page = await context.newPage();
    await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
      data: { username: "sonla.officer", password: demoPasswords["sonla.officer"] },
    });
    await page.goto(`${baseUrl}/security`);
    const heading = page.getByRole("heading", { level: 1 });
    await heading.waitFor();
    expect(await heading.textContent()).toBe(deniedTitle);
    await context.close();
  });
});
