import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * Standards as Sơn La's officer uses them: the province view of the 2026–2030 new-style rural criteria for 2025,
 * then the scorecard of Xã Sông Mã (04168, whose values no other browser test writes), exported to .xlsx and PDF,
 * on a desktop and on a phone.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newProfile(browser, desktop);
  page = await context.newPage();
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username: "sonla.officer", password: passwords["sonla.officer"] ?? "" },
  });
  expect(response.status()).toBe(200);
});

afterAll(async () => {
  await browser.close();
});

async function onPhone(name: string): Promise<void> {
  await page.setViewportSize(phone);
  await page.waitForTimeout(300);
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
    phone.width,
  );
  await screenshot(page, name);
  await page.setViewportSize(desktop);
}

describe("standards", () => {
  it("shows Sơn La's communes against the 2026–2030 criteria, closest first", async () => {
    await page.goto(`${baseUrl}/standards?year=2025`);
    await page.getByRole("heading", { level: 2, name: "Tỉnh Sơn La" }).waitFor();
    await page.getByText("Tỷ lệ xã đạt chuẩn", { exact: true }).waitFor();
    await page.getByRole("heading", { name: "Các xã gần đạt chuẩn nhất" }).waitFor();
    await page.getByRole("heading", { name: "Tiêu chí chưa đạt nhiều nhất" }).waitFor();
    // Communes without data are said to be so, not counted as failing.
    await expect
      .poll(() => page.getByRole("article", { name: "Xã có đủ số liệu mọi tiêu chí" }).textContent())
      .toMatch(/\d+\/75 xã/);
    await screenshot(page, "standards-province-desktop");
    await onPhone("standards-province-phone");
  });

  it("opens a commune's scorecard from the province view", async () => {
    await page.getByRole("link", { name: "Xem phiếu đánh giá của Xã Sông Mã" }).click();
    await page.waitForURL(/\/standards\/communes\/04168/);
    await page.getByRole("heading", { level: 2, name: "Xã Sông Mã" }).waitFor();
    await page.getByText(/^Đạt \d+\/10 tiêu chí$/).waitFor();
    await page.getByRole("heading", { level: 3, name: "2. Hạ tầng kinh tế – xã hội" }).waitFor();
    await page.getByText("Số liệu năm 2025: 1/1 đơn vị đã báo cáo").waitFor();
    await screenshot(page, "standards-scorecard-desktop");
    await onPhone("standards-scorecard-phone");
  });

  it("exports the scorecard to .xlsx", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải về Excel (.xlsx)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("tieu-chi-NTM_2026_2030-04168-2025.xlsx");
    const workbook = new ExcelJS.Workbook();
    const file = await readFile(await download.path());
    await workbook.xlsx.load(
      file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
    );
    const text = JSON.stringify(workbook.worksheets[0]?.getSheetValues());
    expect(text).toContain("Xã Sông Mã");
    expect(text).toMatch(/Đạt \d+\/10 tiêu chí/);
  });

  it("exports the scorecard to PDF", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải về PDF" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("tieu-chi-NTM_2026_2030-04168-2025.pdf");
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("shows a region threshold on the scorecard of a commune without a group, and in the threshold dialog", async () => {
    const admin = await newProfile(browser, desktop);
    const adminPage = await admin.newPage();
    const signIn = await adminPage.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
      data: { username: "sonla.admin", password: passwords["sonla.admin"] ?? "" },
    });
    expect(signIn.status()).toBe(200);
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const created = await adminPage.request.post(`${baseUrl}/api/v1/standards/frameworks`, {
      headers: { "x-csrf-token": csrfToken },
      data: {
        code: "E2E_REGION",
        kind: "e2e_region",
        nameVi: "Bộ thử ngưỡng theo vùng",
        nameEn: "Regional threshold test set",
        validFrom: "2040-01-01",
        validTo: "2041-01-01",
        criteria: [
          {
            code: "C01",
            nameVi: "Giao thông",
            nameEn: "Roads",
            requirements: [
              {
                dataCode: "ROAD_CONCRETE_PCT",
                comparison: ">=",
                thresholds: [
                  { group: "all", value: 80, status: "demo" },
                  { region: "TDMNPB", value: 50, status: "demo" },
                ],
              },
            ],
          },
        ],
      },
    });
    expect(created.status()).toBe(201);
    // 03688 (Sơn La) has no commune group: the Northern Midlands and Mountains threshold applies.
    await adminPage.goto(`${baseUrl}/standards/communes/03688?framework=E2E_REGION&year=2025`);
    await adminPage.getByText("(Vùng Trung du và miền núi phía Bắc)").waitFor();
    await adminPage.getByText("Vùng: Trung du và miền núi phía Bắc").waitFor();
    await screenshot(adminPage, "standards-region-threshold-desktop");
    await adminPage.getByRole("button", { name: "Sửa ngưỡng" }).click();
    await adminPage.getByRole("dialog", { name: /Vùng Trung du và miền núi phía Bắc/ }).waitFor();
    await screenshot(adminPage, "standards-region-dialog-desktop");
    await adminPage.keyboard.press("Escape");
    await adminPage.setViewportSize(phone);
    await adminPage.waitForTimeout(300);
    expect(await adminPage.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      phone.width,
    );
    await screenshot(adminPage, "standards-region-threshold-phone");
    await admin.close();
  });
});
