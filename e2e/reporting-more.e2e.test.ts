import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Download, Locator, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot, type Viewport } from "./browser.ts";

/*
 * The reporting features that have screens but were in no browser flow: a value's history and comment, two people
 * editing the same value, downloading the export, importing a file all or nothing, and the entry page on a phone.
 * It works on Xã Chiềng Khoong (04204) for 2025, which no other browser test writes to (reporting.e2e.test.ts owns
 * 04222). Only a commune's own officers may type values (data.write), so Sơn La's administrator makes two commune
 * officers of Chiềng Khoong, named for this run, and each works in a browser profile of their own.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const runId = Date.now().toString(36);
const unit = "04204";
const entryPath = `/reports/entry?form=KTXH_XA&unit=${unit}&period=2025`;

const income = "Tổng thu nhập của dân cư";
const villages = "Số thôn, bản";
const partyCells = "Số chi bộ thôn, bản";
const stations = "Số trạm y tế";
const fruit = "Diện tích cây ăn quả";
const poor = "Số hộ nghèo";

interface Officer {
  id: number;
  context: BrowserContext;
  page: Page;
}

let browser: Browser;
let admin: { context: BrowserContext; page: Page; csrfToken: string };
let first: Officer;
let second: Officer;

/** Signs in through the API in the page's own cookie jar; returns the account and the session's CSRF token. */
async function signIn(page: Page, username: string, password: string) {
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { user: { id: number }; csrfToken: string };
}

/** A new commune officer of Chiềng Khoong, made by Sơn La's administrator, signed in in a fresh profile. */
async function newOfficer(serial: number, viewport: Viewport = desktop): Promise<Officer> {
  const username = `e2e.khoong.${runId}.${serial}`;
  const created = await admin.page.request.post(`${baseUrl}/api/v1/users`, {
    data: {
      username,
      displayName: `Cán bộ Chiềng Khoong ${serial}`,
      role: "commune_officer",
      scopeCode: unit,
    },
    headers: { "x-csrf-token": admin.csrfToken },
  });
  expect(created.status()).toBe(201);
  const { initialPassword } = (await created.json()) as { initialPassword: string };
  const context = await newProfile(browser, viewport);
  const page = await context.newPage();
  const { user } = await signIn(page, username, initialPassword);
  return { id: user.id, context, page };
}

/** The values the server holds for Chiềng Khoong's 2025 report, by element code. */
async function serverValues(page: Page): Promise<Record<string, string>> {
  const response = await page.request.get(`${baseUrl}/api/v1/data-entry`, {
    params: { form: "KTXH_XA", unit, period: "2025" },
  });
  expect(response.status()).toBe(200);
  const entry = (await response.json()) as { values: Array<{ element: string; value: string }> };
  return Object.fromEntries(entry.values.map((v) => [v.element, v.value]));
}

async function openEntry(page: Page): Promise<void> {
  await page.goto(`${baseUrl}${entryPath}`);
  await page.getByText("Xã Chiềng Khoong — Năm 2025").waitFor();
}

/** A field of the entry form: the fieldset named by the element, holding its input, save state and checks. */
const field = (page: Page, name: string): Locator => page.getByRole("group", { name, exact: true });
const input = (page: Page, name: string): Locator => page.getByRole("textbox", { name, exact: true });

const isValueSave = (r: Response) =>
  r.url().includes("/api/v1/data-values") && r.request().method() === "PUT";

/** Types a value and leaves the field with Tab, resolving with the server's answer to the save. */
async function typeAndLeave(page: Page, name: string, text: string): Promise<Response> {
  await input(page, name).fill(text);
  const [response] = await Promise.all([page.waitForResponse(isValueSave), input(page, name).press("Tab")]);
  return response;
}

/** Today as a Vietnamese office writes it, dd/mm/yyyy, in Vietnam's time zone. */
const todayVi = () =>
  new Intl.DateTimeFormat("vi-VN", {
    timeZone: "Asia/Ho_Chi_Minh",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).format(new Date());

const runDay = todayVi();
/** The day of the run (which may cross midnight) followed by an hh:mm time. */
const dayPattern = () => `(?:${runDay}|${todayVi()}) \\d{2}:\\d{2}`;

/** The files panel of the entry page. */
const filesPanel = (page: Page): Locator => page.getByRole("region", { name: "Nhập, xuất tệp" });

/** Clicks one of the panel's download buttons and waits for the file the browser saves. */
async function downloadFrom(button: Locator): Promise<Download> {
  const [download] = await Promise.all([button.page().waitForEvent("download"), button.click()]);
  return download;
}

/** Chooses a file to import through the panel's button, as a person picks one in the file dialog. */
async function chooseFile(page: Page, name: string, text: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent("filechooser"),
    filesPanel(page).getByRole("button", { name: "Chọn tệp để nhập (.xlsx, .csv, .json)" }).click(),
  ]);
  await chooser.setFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
}

/** A CSV in the layout of the export: unit, unit name and period, then one column per element code. */
function csv(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => cells.join(",");
  return `${[line(["unit", "unit_name", "period", ...header]), ...rows.map((r) => line([unit, "Xã Chiềng Khoong", "2025", ...r]))].join("\r\n")}\r\n`;
}

/** Three bad rows after a good one: text in a number field, a negative count, a column of no known element. */
const badFile = csv(
  ["HEALTH_STATIONS", "FRUIT_HA", "HH_POOR", "KHONG_CO_MA"],
  [
    ["2", "", "", ""],
    ["", "nhiều", "", ""],
    ["", "", "-5", ""],
    ["", "", "", "12"],
  ],
);

/** The rows of the bad-rows table as [row, column, message]. */
async function badRows(page: Page): Promise<string[][]> {
  const table = filesPanel(page).getByRole("alert").getByRole("table");
  const rows = await table.locator("tbody tr").all();
  return Promise.all(
    rows.map(async (row) => (await row.getByRole("cell").allTextContents()).map((s) => s.trim())),
  );
}

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await newProfile(browser, desktop);
  const page = await context.newPage();
  const { csrfToken } = await signIn(page, "sonla.admin", passwords["sonla.admin"] ?? "");
  admin = { context, page, csrfToken };
  first = await newOfficer(1);
  second = await newOfficer(2);
});

afterAll(async () => {
  await browser.close();
});

describe("a value's history and comment", () => {
  it("lists both saves of a value with who and when, and keeps a comment across a reload", async () => {
    const { page } = first;
    await openEntry(page);
    const before = (await serverValues(page)).INCOME_TOTAL;
    expect((await typeAndLeave(page, income, "45,5")).status()).toBe(200);
    await field(page, income).getByText("Đã lưu").waitFor();
    expect((await typeAndLeave(page, income, "46,2")).status()).toBe(200);
    expect(await input(page, income).inputValue()).toBe("46,2");

    await page.getByRole("button", { name: `Ghi chú và lịch sử: ${income}`, exact: true }).click();
    const details = page.getByRole("dialog");
    const history = details.getByRole("region", { name: "Lịch sử thay đổi" });
    await history.getByRole("listitem").nth(1).waitFor();
    const items = await history.getByRole("listitem").allTextContents();
    const shown = (n: string) =>
      new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 4 }).format(Number(n));
    expect(items[0]).toMatch(new RegExp(`^${dayPattern()}, bạn: 45,5 → 46,2$`));
    expect(items[1]).toMatch(new RegExp(`^${dayPattern()}, bạn: ${shown(before ?? "")} → 45,5$`));
    await screenshot(page, "reporting-more-history-desktop");

    const comment = "Theo số liệu của Chi cục Thống kê";
    await details.getByRole("textbox", { name: "Ghi chú" }).fill(comment);
    await Promise.all([
      page.waitForResponse(isValueSave),
      details.getByRole("textbox", { name: "Ghi chú" }).press("Tab"),
    ]);
    await page.keyboard.press("Escape");
    await field(page, income).getByText(`Ghi chú: ${comment}`).waitFor();

    await page.reload();
    await field(page, income).getByText(`Ghi chú: ${comment}`).waitFor();
    await page.getByRole("button", { name: `Ghi chú và lịch sử: ${income}`, exact: true }).click();
    expect(await page.getByRole("dialog").getByRole("textbox", { name: "Ghi chú" }).inputValue()).toBe(
      comment,
    );
    await page.keyboard.press("Escape");
    expect((await serverValues(page)).INCOME_TOTAL).toBe("46.2");
  });
});

describe("two officers editing the same value", () => {
  beforeAll(async () => {
    // Both pages are open on the same values before either saves.
    await Promise.all([openEntry(first.page), openEntry(second.page)]);
  });

  it("shows the second the first's change with both values, and keeps the value they choose to keep", async () => {
    expect((await typeAndLeave(first.page, villages, "33")).status()).toBe(200);
    expect(await input(second.page, villages).inputValue()).not.toBe("33");

    const refused = await typeAndLeave(second.page, villages, "34");
    expect(refused.status()).toBe(409);
    const conflict = field(second.page, villages).getByRole("alert");
    await conflict.getByText("Người khác vừa sửa giá trị này").waitFor();
    expect(await conflict.textContent()).toContain("Giá trị của bạn: 34");
    expect(await conflict.textContent()).toMatch(
      // Who changed it, by name.
      new RegExp(`Giá trị hiện tại: 33 \\(Cán bộ Chiềng Khoong 1, ${dayPattern()}\\)`),
    );
    await screenshot(second.page, "reporting-more-conflict-desktop");

    await Promise.all([
      second.page.waitForResponse((r) => isValueSave(r) && r.status() === 200),
      conflict.getByRole("button", { name: "Giữ giá trị của tôi" }).click(),
    ]);
    await field(second.page, villages).getByText("Đã lưu").waitFor();
    await conflict.waitFor({ state: "detached" });
    expect((await serverValues(second.page)).VILLAGES).toBe("34");
    await first.page.reload();
    expect(await input(first.page, villages).inputValue()).toBe("34");
  });

  it("shows the current value in the field when the second takes it, and saves nothing over it", async () => {
    await openEntry(second.page);
    expect((await typeAndLeave(first.page, partyCells, "30")).status()).toBe(200);
    expect((await typeAndLeave(second.page, partyCells, "29")).status()).toBe(409);
    const conflict = field(second.page, partyCells).getByRole("alert");
    await conflict.getByRole("button", { name: "Dùng giá trị hiện tại" }).click();
    await conflict.waitFor({ state: "detached" });
    expect(await input(second.page, partyCells).inputValue()).toBe("30");
    expect((await serverValues(second.page)).PARTY_CELLS).toBe("30");
  });
});

describe("the files panel", () => {
  it("downloads the export as CSV holding the element codes and the values typed", async () => {
    const { page } = first;
    await openEntry(page);
    // "CSV" is on the panel twice, a template's and the export's; each button's name says which.
    const download = await downloadFrom(
      filesPanel(page).getByRole("button", { name: "Xuất số liệu: CSV", exact: true }),
    );
    expect(download.suggestedFilename()).toBe(`KTXH_XA_2025_${unit}.csv`);
    const text = await readFile(await download.path(), "utf8");
    const [header = [], ...rows] = text
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r\n/)
      .map((l) => l.split(","));
    expect(header.slice(0, 3)).toEqual(["unit", "unit_name", "period"]);
    expect(header).toEqual(
      expect.arrayContaining(["ROAD_KM_TOTAL", "INCOME_TOTAL", "VILLAGES", "PARTY_CELLS", "HH_POOR"]),
    );
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(header.map((code, i) => [code, rows[0]?.[i]]));
    expect(row).toMatchObject({
      unit,
      unit_name: "Xã Chiềng Khoong",
      period: "2025",
      INCOME_TOTAL: "46.2",
      VILLAGES: "34",
      PARTY_CELLS: "30",
    });
  });

  it("downloads the export as an Excel workbook", async () => {
    const { page } = first;
    const download = await downloadFrom(
      filesPanel(page).getByRole("button", { name: "Xuất số liệu: Excel (.xlsx)", exact: true }),
    );
    expect(download.suggestedFilename()).toBe(`KTXH_XA_2025_${unit}.xlsx`);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(bytes.length).toBeGreaterThan(4000);
  });

  it("refuses a file with bad rows as a whole, naming each row and column, and writes nothing", async () => {
    const { page } = first;
    const before = await serverValues(page);
    await chooseFile(page, "chieng-khoong-loi.csv", badFile);
    const alert = filesPanel(page).getByRole("alert");
    await alert.getByText(/^Tệp có \d+ dòng lỗi; chưa nhập gì\. Sửa rồi chọn lại tệp\.$/).waitFor();
    expect(await alert.textContent()).toContain("Tệp: chieng-khoong-loi.csv");
    // Each of the three bad rows, in Vietnamese, and not the good one.
    expect(await badRows(page)).toEqual([
      ["3", "E (FRUIT_HA)", "FRUIT_HA (Diện tích cây ăn quả): cần nhập một số."],
      ["4", "F (HH_POOR)", "Số hộ nghèo: số đếm không được âm"],
      ["5", "G (KHONG_CO_MA)", 'không có chỉ tiêu dữ liệu "KHONG_CO_MA" trong danh mục'],
    ]);
    await screenshot(page, "reporting-more-import-bad-desktop");

    // Not even the good first row was taken.
    expect(await serverValues(page)).toEqual(before);
    await page.reload();
    expect(await input(page, stations).inputValue()).toBe(before.HEALTH_STATIONS);
  });

  it("checks a correct file first, then imports it and shows the values taken", async () => {
    const { page } = first;
    await openEntry(page);
    const before = await serverValues(page);
    await chooseFile(
      page,
      "chieng-khoong.csv",
      csv(["HEALTH_STATIONS", "FRUIT_HA", "HH_POOR"], [["2", "1400.5", "380"]]),
    );
    const panel = filesPanel(page);
    await panel.getByText("Tệp hợp lệ: 3 giá trị sẵn sàng nhập. Chưa ghi gì.").waitFor();
    expect(await serverValues(page)).toEqual(before);
    await panel.getByRole("button", { name: "Nhập", exact: true }).click();
    await panel.getByText("Đã nhập: 3 giá trị thay đổi, 0 giá trị giữ nguyên.").waitFor();
    await expect.poll(() => input(page, fruit).inputValue()).toBe("1.400,5");
    expect([await input(page, stations).inputValue(), await input(page, poor).inputValue()]).toEqual([
      "2",
      "380",
    ]);
    expect(await serverValues(page)).toMatchObject({
      HEALTH_STATIONS: "2",
      FRUIT_HA: "1400.5",
      HH_POOR: "380",
    });
    await screenshot(page, "reporting-more-import-done-desktop");
  });
});

describe("the entry page on a phone", () => {
  it("fits 360 px with the files panel and its list of bad rows open", async () => {
    const { page, context } = await newOfficer(3, phone);
    await openEntry(page);
    await filesPanel(page).scrollIntoViewIfNeeded();
    await chooseFile(page, "chieng-khoong-loi.csv", badFile);
    await filesPanel(page).getByRole("alert").getByRole("table").waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      phone.width,
    );
    await screenshot(page, "reporting-more-entry-phone");
    await filesPanel(page).screenshot({ path: "e2e/screenshots/reporting-more-files-phone.png" });

    await page.getByRole("button", { name: `Ghi chú và lịch sử: ${income}`, exact: true }).click();
    await page
      .getByRole("dialog")
      .getByRole("region", { name: "Lịch sử thay đổi" })
      .getByRole("listitem")
      .first()
      .waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      phone.width,
    );
    await page.getByRole("dialog").screenshot({ path: "e2e/screenshots/reporting-more-history-phone.png" });
    await context.close();
  });
});
