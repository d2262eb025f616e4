import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * The offline application shell (issue 10): Chiềng Khương's officer opens a report form once with a connection, then
 * types with the connection cut, closes the tab, opens the app again with no connection, finds the form and the
 * values waiting, and they are saved when the connection returns. 04222 / 2024 is this file's alone.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const entryPath = "/reports/entry?form=KTXH_XA&unit=04222&period=2024";
const fruit = "Diện tích cây ăn quả";
const longan = "Diện tích nhãn";

let browser: Browser;
let context: BrowserContext;
let page: Page;

const input = (p: Page, name: string): Locator => p.getByRole("textbox", { name, exact: true });
const field = (p: Page, name: string): Locator => p.getByRole("group", { name, exact: true });

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newProfile(browser, desktop);
  page = await context.newPage();
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username: "chiengkhuong", password: passwords.chiengkhuong },
  });
  expect(response.status()).toBe(200);
});

afterAll(async () => {
  await browser.close();
});

describe("a commune officer on a link that drops", () => {
  it("opens the report form once online, and the app is kept for offline use", async () => {
    await page.goto(`${baseUrl}${entryPath}`);
    await input(page, fruit).waitFor();
    // The service worker installs and takes the page; a second visit goes through it and fills its caches.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await input(page, fruit).waitFor();
    const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
    expect(controlled).toBe(true);
  });

  it("keeps values typed with the connection cut", async () => {
    await context.setOffline(true);
    await input(page, fruit).fill("120,5");
    await input(page, longan).fill("80,25");
    await input(page, longan).press("Enter");
    await field(page, fruit).getByText("Chờ gửi").waitFor();
    await field(page, longan).getByText("Chờ gửi").waitFor();
  });

  it("opens the app again with no connection after the tab was closed, with the form and the values waiting", async () => {
    await page.close();
    page = await context.newPage();
    await page.goto(`${baseUrl}${entryPath}`);
    await input(page, fruit).waitFor();
    expect([await input(page, fruit).inputValue(), await input(page, longan).inputValue()]).toEqual([
      "120,5",
      "80,25",
    ]);
    await field(page, fruit).getByText("Chờ gửi").waitFor();
    await screenshot(page, "offline-reopened-desktop");
    await page.setViewportSize(phone);
    await screenshot(page, "offline-reopened-phone");
    await page.setViewportSize(desktop);
  });

  it("sends the waiting values when the connection returns", async () => {
    await context.setOffline(false);
    await field(page, fruit).getByText("Đã lưu").waitFor();
    await field(page, longan).getByText("Đã lưu").waitFor();
    const response = await page.request.get(
      `${baseUrl}/api/v1/data-entry?form=KTXH_XA&unit=04222&period=2024`,
    );
    const entry = (await response.json()) as { values: Array<{ element: string; value: string }> };
    expect(
      entry.values
        .filter((v) => v.element === "FRUIT_HA" || v.element === "LONGAN_HA")
        .map((v) => [v.element, v.value])
        .sort(),
    ).toEqual([
      ["FRUIT_HA", "120.5"],
      ["LONGAN_HA", "80.25"],
    ]);
  });
});
