import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone } from "./browser.ts";

/*
 * Entry guardrails (issue 10) as Chiềng Khương's officer meets them on the 2026 report, which no other browser test
 * touches: last year's value beside each field, a question when a number reads two ways, and a warning (never a
 * block) when a value moves far from last year's.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const entryPath = "/reports/entry?form=KTXH_XA&unit=04222&period=2026";
const roadConcrete = "Chiều dài đường xã đã bê tông hoá";
// Not the household counts: the households flow approves a poverty review for 04222/2026, whose counts then lock
// those fields on every form (one value, one lock).
const households = "Dân số nông thôn";

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
  await page.goto(`${baseUrl}${entryPath}`);
  await input(page, roadConcrete).waitFor();
});

afterAll(async () => {
  await browser.close();
});

describe("guardrails on the entry screen", () => {
  it("shows last year's value beside a field", async () => {
    await field(page, households)
      .getByText(/^Kỳ trước \(Năm 2025\): [\d.,]+$/)
      .waitFor();
  });

  it("asks whether 1.250 km is a thousand and more or one and a quarter, and saves nothing until answered", async () => {
    await input(page, roadConcrete).fill("1.250");
    await input(page, roadConcrete).press("Tab");
    const question = field(page, roadConcrete).getByRole("alert");
    await question.getByText("1.250 km: một nghìn hai trăm năm mươi hay một phẩy hai năm?").waitFor();
    await page.screenshot({
      path: "e2e/screenshots/guardrails-question-desktop.png",
      clip: await clipOf(field(page, roadConcrete)),
    });
    expect(await field(page, roadConcrete).getByText("Đã lưu").count()).toBe(0);
  });

  it("saves the reading the officer chooses", async () => {
    await field(page, roadConcrete).getByRole("button", { name: "1,25 (một phẩy hai năm)" }).click();
    await field(page, roadConcrete).getByText("Đã lưu").waitFor();
    const response = await page.request.get(
      `${baseUrl}/api/v1/data-entry?form=KTXH_XA&unit=04222&period=2026`,
    );
    const entry = (await response.json()) as { values: Array<{ element: string; value: string }> };
    expect(entry.values.find((v) => v.element === "ROAD_KM_CONCRETE")?.value).toBe("1.25");
  });

  it("warns when a value is far from last year's, and saves it all the same", async () => {
    await input(page, households).fill("999999");
    await input(page, households).press("Tab");
    await field(page, households)
      .getByText(/Thay đổi nhiều so với kỳ trước/)
      .waitFor();
    await field(page, households).getByText("Đã lưu").waitFor();
    await page.setViewportSize(phone);
    await page.screenshot({
      path: "e2e/screenshots/guardrails-warning-phone.png",
      clip: await clipOf(field(page, households)),
    });
    await page.setViewportSize(desktop);
  });
});

async function clipOf(locator: Locator) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error("not on screen");
  return {
    x: 0,
    y: Math.max(0, box.y - 16),
    width: page.viewportSize()?.width ?? 1366,
    height: box.height + 32,
  };
}
