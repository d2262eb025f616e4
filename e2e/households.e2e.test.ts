import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * The household flow of Chiềng Khương (04222): the commune officer imports households, runs the 2026 poverty review
 * (04222 / 2026 is this file's alone; the reporting flow owns 2025), approves it and finds the rate on the dashboard;
 * then records a Tết gift handed out, on a 360 px phone. The tests share the pages and run in sequence.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");

let browser: Browser;
let officer: { context: BrowserContext; page: Page };
let reviewPath = "";

async function signedIn(
  username: string,
  viewport = desktop,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newProfile(browser, viewport);
  const page = await context.newPage();
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password: passwords[username] },
  });
  expect(response.status()).toBe(200);
  return { context, page };
}

async function fitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
    phone.width,
  );
}

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Ho");
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Chooses a file in the panel's file input and presses its "Nhập" button. */
async function upload(page: Page, label: string, name: string, buffer: Buffer): Promise<void> {
  await page.locator("input[type=file]").setInputFiles({
    name,
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer,
  });
  await page.getByText(label).waitFor();
  await page.getByRole("button", { name: "Nhập", exact: true }).click();
}

beforeAll(async () => {
  browser = await launchBrowser();
  officer = await signedIn("chiengkhuong");
});

afterAll(async () => {
  await browser.close();
});

describe("the poverty review of Chiềng Khương", () => {
  it("imports households from an Excel file", async () => {
    const { page } = officer;
    await page.goto(`${baseUrl}/households`);
    await page.getByRole("heading", { level: 1, name: "Hộ gia đình và giảm nghèo" }).waitFor();
    const file = await workbook([
      [
        "Mã hộ",
        "Mã thôn/bản",
        "Họ và tên",
        "Quan hệ với chủ hộ",
        "Năm sinh",
        "Giới tính",
        "Dân tộc",
        "Số định danh cá nhân",
      ],
      ["E2E-1", "04222-01", "Lò Văn Thử", "Chủ hộ", 1979, "Nam", "Thái", ""],
      ["E2E-1", "04222-01", "Cầm Thị Nghiệm", "Vợ", 1982, "Nữ", "Thái", ""],
      ["E2E-2", "04222-02", "Quàng Văn Mới", "Chủ hộ", 1990, "Nam", "Thái", ""],
    ]);
    await upload(page, "ho-moi.xlsx", "ho-moi.xlsx", file);
    await page.getByText("Đã nhập 2 hộ, 3 nhân khẩu.").waitFor();
    await screenshot(page, "households-import-desktop");
  });

  it("opens the 2026 review and takes the survey results from the filled sheet", async () => {
    const { page } = officer;
    await page.getByRole("tab", { name: "Rà soát hộ nghèo" }).click();
    await page.getByRole("textbox", { name: "Năm" }).fill("2026");
    await page.getByRole("button", { name: "Mở đợt rà soát" }).click();
    await page.getByRole("heading", { level: 1, name: "Rà soát hộ nghèo, cận nghèo năm 2026" }).waitFor();
    reviewPath = new URL(page.url()).pathname;
    const id = reviewPath.split("/").at(-1);
    const sheet = await page.request.get(`${baseUrl}/api/v1/poverty-reviews/${id}/survey-sheet`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await sheet.body()) as unknown as ArrayBuffer);
    const ws = book.worksheets[0] as ExcelJS.Worksheet;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const poor = n % 5 === 0;
      row.getCell(4).value = poor ? 30_000_000 : 120_000_000;
      if (poor) for (const c of [5, 6, 7]) row.getCell(c).value = "x";
    });
    await upload(page, "dieu-tra.xlsx", "dieu-tra.xlsx", Buffer.from(await book.xlsx.writeBuffer()));
    await page.getByText(/Đã nhập kết quả của \d+ hộ/).waitFor();
    await page.getByText("Chưa điều tra: 0 hộ").waitFor();
  });

  it("approves the review after the village meetings agree, locking the year", async () => {
    const { page } = officer;
    await page.getByRole("button", { name: "Họp thôn thống nhất kết quả tính toán" }).click();
    await page.getByRole("button", { name: "Trình phê duyệt" }).click();
    await page.getByRole("button", { name: "Phê duyệt (khoá năm)" }).click();
    await page.getByText("Đã phê duyệt: số hộ nghèo").waitFor();
    await screenshot(page, "households-review-desktop");
    await page.setViewportSize(phone);
    await fitsPhone(page);
    await screenshot(page, "households-review-phone");
    await page.setViewportSize(desktop);
  });

  it("shows the approved rate on the commune's dashboard, with its poor and total households", async () => {
    const { page } = officer;
    const poor = await page.getByTestId("figure-poor").innerText();
    const total = await page.getByTestId("figure-total").innerText();
    await page.getByRole("link", { name: "Xem trên trang tổng quan" }).click();
    const row = page.getByRole("row").filter({ hasText: "Tỷ lệ hộ nghèo" }).filter({ hasText: "2026" });
    await row.getByText(`${poor} / ${total}`).waitFor();
    await screenshot(page, "households-dashboard-desktop");
  });
});

describe("handing out Tết gifts on a phone", () => {
  it("records that a household on the approved list received its package", async () => {
    const { context, page } = await signedIn("chiengkhuong", phone);
    await page.goto(`${baseUrl}/households?tab=support`);
    await page.getByRole("link", { name: /Quà Tết Nguyên đán 2026/ }).click();
    await page.getByRole("heading", { level: 1, name: "Quà Tết Nguyên đán 2026" }).waitFor();
    const first = page
      .locator("[data-testid^=entitlement-]")
      .filter({ has: page.getByRole("button", { name: "Ghi nhận đã nhận" }) })
      .first();
    const card = page.getByTestId((await first.getAttribute("data-testid")) ?? "");
    const name = await card.locator("p").first().innerText();
    await card.getByRole("button", { name: "Ghi nhận đã nhận" }).click();
    await card.getByRole("textbox", { name: "Người nhận" }).fill(`${name} (vợ nhận thay)`);
    await screenshot(page, "households-distribution-form-phone");
    await card.getByRole("button", { name: "Lưu" }).click();
    await page
      .locator("[data-testid^=entitlement-]")
      .filter({ hasText: `${name} (vợ nhận thay)` })
      .getByText("Đã nhận")
      .first()
      .waitFor();
    await fitsPhone(page);
    await screenshot(page, "households-distribution-phone");
    await context.close();
  });
});
