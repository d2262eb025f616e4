import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * The dashboards as Sơn La's officer sees them: the province overview for 2025, live while a commune saves a value;
 * the communes ranked and a commune's profile; a pivot built, drawn, exported as CSV and saved. The value changed is
 * Xã Chiềng Khoong's (04204) households on the grid (HH_GRID) for 2025, which no other browser test asserts on
 * (reporting.e2e.test.ts owns 04222; reporting-more.e2e.test.ts writes other elements of 04204). Only a commune's own
 * officers may write its values, so Sơn La's administrator makes one for this run.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const runId = Date.now().toString(36);
const commune = "04204";
const gridName = "Tỷ lệ hộ dùng điện lưới quốc gia";
const roadsName = "Tỷ lệ đường xã được bê tông hoá";

interface Cell {
  data: string;
  unit: string;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
}

let browser: Browser;
let officer: { context: BrowserContext; page: Page };
let writer: { context: BrowserContext; page: Page; csrfToken: string };

async function signIn(page: Page, username: string, password: string) {
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { user: { id: number }; csrfToken: string };
}

async function profile(username: string, password = passwords[username] ?? "") {
  const context = await newProfile(browser, desktop);
  const page = await context.newPage();
  const { csrfToken } = await signIn(page, username, password);
  return { context, page, csrfToken };
}

/** Sơn La's 2025 figures of some indicators as the API computes them now. */
async function province2025(page: Page, dx: string[]): Promise<Map<string, Cell>> {
  const response = await page.request.get(`${baseUrl}/api/v1/analytics`, {
    params: { dx: dx.join(","), pe: "2025", ou: "14", includeNumDen: "true" },
  });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { rows: Cell[] };
  return new Map(body.rows.map((r) => [r.data, r]));
}

const vi = (value: number, decimals?: number) =>
  new Intl.NumberFormat("vi-VN", {
    minimumFractionDigits: decimals ?? 0,
    maximumFractionDigits: decimals ?? 2,
  }).format(value);
/** As the page writes a percentage: "54,5 %", with a space that does not break. */
const percent = (value: number | null | undefined) => `${vi(value ?? Number.NaN, 1)}\u00a0%`;

const card = (page: Page, name: string): Locator => page.getByRole("article", { name, exact: true });

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
    phone.width,
  );
}

/** Both screenshots of what the page shows now: desktop, then a 360 px phone without sideways scrolling (and back). */
async function screenshots(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(phone);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await page.waitForTimeout(300);
  await noSidewaysScroll(page);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(desktop);
}

beforeAll(async () => {
  browser = await launchBrowser();
  officer = await profile("sonla.officer");
  const admin = await profile("sonla.admin");
  const username = `e2e.dash.${runId}`;
  const created = await admin.page.request.post(`${baseUrl}/api/v1/users`, {
    data: {
      username,
      displayName: "Cán bộ Chiềng Khoong (tổng quan)",
      role: "commune_officer",
      scopeCode: commune,
    },
    headers: { "x-csrf-token": admin.csrfToken },
  });
  expect(created.status()).toBe(201);
  const { initialPassword } = (await created.json()) as { initialPassword: string };
  await admin.context.close();
  writer = await profile(username, initialPassword);
});

afterAll(async () => {
  await browser.close();
});

describe("the province overview", () => {
  it("shows Sơn La's key indicators for 2025 as the API computes them, with numerator and denominator", async () => {
    const { page } = officer;
    await page.goto(`${baseUrl}/dashboard?year=2025`);
    await page.getByRole("heading", { level: 1, name: "Tổng quan" }).waitFor();
    await page.getByRole("heading", { level: 2, name: /Sơn La/ }).waitFor();
    await page.getByText("Số liệu minh hoạ", { exact: true }).first().waitFor();
    const api = await province2025(page, ["ROAD_CONCRETE_PCT", "GRID_PCT"]);
    const roads = api.get("ROAD_CONCRETE_PCT");
    expect(roads?.value).toBeTypeOf("number");
    await expect.poll(() => card(page, roadsName).textContent()).toContain(percent(roads?.value));
    const roadsText = await card(page, roadsName).textContent();
    expect(roadsText).toContain(`${vi(roads?.numerator ?? 0)} / ${vi(roads?.denominator ?? 0)}`);
    const grid = api.get("GRID_PCT");
    await expect.poll(() => card(page, gridName).textContent()).toContain(percent(grid?.value));
    await page.getByText(/^Số liệu trực tiếp, cập nhật lúc \d{2}:\d{2}:\d{2}$/).waitFor();
    // The ranking and its chart have come.
    await page.getByRole("table", { name: /^Các xã xếp theo/ }).waitFor();
    await page
      .getByRole("img", { name: /^Biểu đồ cột:/ })
      .locator("svg")
      .waitFor();
    await screenshots(page, "analytics-overview");
  });

  it("moves the grid figure within seconds, without reloading, when Chiềng Khoong saves a value", async () => {
    const { page } = officer;
    await page.evaluate("window.__sameDocument = true");
    const entry = await writer.page.request.get(`${baseUrl}/api/v1/data-entry`, {
      params: { form: "KTXH_XA", unit: commune, period: "2025" },
    });
    expect(entry.status()).toBe(200);
    const { values } = (await entry.json()) as {
      values: Array<{ element: string; value: string; version: number }>;
    };
    const stored = values.find((v) => v.element === "HH_GRID");
    const before = Number(stored?.value ?? 0);
    const next = before > 1500 ? before - 1200 : before + 1200;
    const before2 = (await province2025(page, ["GRID_PCT"])).get("GRID_PCT");
    const saved = await writer.page.request.put(`${baseUrl}/api/v1/data-values`, {
      data: {
        form: "KTXH_XA",
        unit: commune,
        period: "2025",
        element: "HH_GRID",
        value: next,
        expectedVersion: stored?.version ?? 0,
      },
      headers: { "x-csrf-token": writer.csrfToken },
    });
    expect(saved.status()).toBe(200);
    const savedAt = Date.now();
    const after = (await province2025(page, ["GRID_PCT"])).get("GRID_PCT");
    expect(after?.value).not.toBe(before2?.value);
    await card(page, gridName).getByText(percent(after?.value), { exact: true }).waitFor({ timeout: 8_000 });
    const seconds = (Date.now() - savedAt) / 1000;
    console.info(`The dashboard showed the new figure ${seconds.toFixed(1)} s after the save.`);
    expect(seconds).toBeLessThan(5);
    expect(await card(page, gridName).textContent()).toContain(
      `${vi(after?.numerator ?? 0)} / ${vi(after?.denominator ?? 0)}`,
    );
    expect(await page.evaluate("window.__sameDocument")).toBe(true);
    await screenshot(page, "analytics-overview-moved-desktop");
  });

  it("ranks the communes by the chosen indicator and lists the five furthest behind, worst first", async () => {
    const { page } = officer;
    await page.goto(`${baseUrl}/dashboard?year=2025&indicator=POVERTY_RATE`);
    const ranking = page.getByRole("table", { name: "Các xã xếp theo Tỷ lệ hộ nghèo, năm 2025" });
    await ranking.waitFor();
    const rates = await ranking.locator("tbody tr td:nth-child(3)").allTextContents();
    const numbers = rates.map((r) => Number(r.replace(/[\s\u00a0]*%$/, "").replace(",", ".")));
    expect(numbers.length).toBeGreaterThanOrEqual(5);
    // Poverty: lower is better, so the best comes first.
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    const behind = page.getByRole("table", { name: "Các xã còn chậm nhất" });
    const worst = await behind.locator("tbody tr td:nth-child(3)").allTextContents();
    expect(worst).toHaveLength(5);
    expect(worst[0]).toBe(rates.at(-1));
    await screenshots(page, "analytics-ranking");
    // From a row to that commune's profile, against the province.
    await ranking.getByRole("link", { name: /Xã Chiềng Khoong/ }).click();
    await page.getByRole("heading", { level: 2, name: "Xã Chiềng Khoong" }).waitFor();
    await page.getByText(/so với Tỉnh Sơn La/).waitFor();
    await page.getByRole("img", { name: /^Biểu đồ đường: Tỷ lệ hộ nghèo của Xã Chiềng Khoong/ }).waitFor();
    await screenshots(page, "analytics-profile");
  });
});

describe("Nghệ An's overview", () => {
  it("opens on 2014, its latest year with figures, with Kỳ Sơn's values rolled into today's communes", async () => {
    const nghean = await profile("nghean.officer");
    const { page } = nghean;
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByRole("heading", { level: 2, name: /Nghệ An/ }).waitFor();
    expect(await page.getByRole("combobox", { name: "Năm", exact: true }).inputValue()).toBe("2014");
    // 7,919 poor households of 15,000 (docs/analytics.md).
    const poverty = card(page, "Tỷ lệ hộ nghèo");
    await poverty.getByText(percent(52.8), { exact: true }).waitFor();
    await poverty.getByText("7.919 / 15.000").waitFor();
    await page.goto(`${baseUrl}/dashboard?indicator=POVERTY_RATE`);
    await page
      .getByRole("table", { name: "Các xã xếp theo Tỷ lệ hộ nghèo, năm 2014" })
      .getByRole("link", { name: /Hữu Kiệm/ })
      .waitFor();
    await screenshot(page, "analytics-nghean-2014-desktop");
    await nghean.context.close();
  });
});

describe("the pivot builder", () => {
  it("builds a table of two indicators by commune for 2025, draws it and exports it as CSV", async () => {
    const { page } = officer;
    await page.goto(`${baseUrl}/analytics`);
    await page.getByRole("heading", { level: 1, name: "Phân tích số liệu" }).waitFor();
    const data = page.getByRole("combobox", { name: "Số liệu", exact: true });
    // Typed without Vietnamese marks, as on a phone keyboard.
    await data.fill("ty le ho ngheo");
    await page.getByRole("option", { name: "Tỷ lệ hộ nghèo", exact: true }).click();
    await data.fill("dien luoi");
    await page.getByRole("option", { name: gridName, exact: true }).click();
    await page.keyboard.press("Escape");
    // 2025 whatever year it is now (the default is last year).
    const periods = page.getByRole("combobox", { name: "Kỳ", exact: true });
    await periods.focus();
    await periods.press("Backspace");
    await periods.fill("2025");
    await page.getByRole("option", { name: "2025", exact: true }).click();
    await page.keyboard.press("Escape");
    const table = page.getByRole("table", { name: /^Bảng phân tích/ });
    await table.getByRole("rowheader", { name: "Xã Chiềng Khoong" }).waitFor();
    await table.getByRole("columnheader", { name: "Tỷ lệ hộ nghèo" }).waitFor();
    await page.locator("label", { hasText: "Biểu đồ cột" }).click();
    expect(await page.getByRole("radio", { name: "Biểu đồ cột" }).isChecked()).toBe(true);
    await page
      .getByRole("img", { name: /^Biểu đồ cột:/ })
      .locator("svg")
      .waitFor();
    await screenshots(page, "analytics-pivot");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Tải về CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const text = (await readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "");
    const lines = text.trim().split(/\r\n/);
    expect(lines[0]).toBe(`Đơn vị,Mã đơn vị,Tỷ lệ hộ nghèo,${gridName}`);
    const api = await page.request.get(`${baseUrl}/api/v1/analytics`, {
      params: { dx: "POVERTY_RATE,GRID_PCT", pe: "2025", ou: commune },
    });
    const cells = ((await api.json()) as { rows: Cell[] }).rows;
    const poverty = cells.find((c) => c.data === "POVERTY_RATE")?.value;
    const grid = cells.find((c) => c.data === "GRID_PCT")?.value;
    expect(lines).toContain(`Xã Chiềng Khoong,${commune},${poverty},${grid}`);
  });

  it("saves the view, lists it as one's own, opens it and deletes it", async () => {
    const { page } = officer;
    const name = `Nghèo và điện ${runId}`;
    await page.getByRole("button", { name: "Lưu bảng này" }).click();
    const dialog = page.getByRole("dialog", { name: "Lưu bảng phân tích" });
    await dialog.getByRole("textbox", { name: "Tên bảng" }).fill(name);
    await dialog.getByRole("button", { name: "Lưu bảng này" }).click();
    await dialog.waitFor({ state: "detached" });
    const item = page.getByRole("listitem").filter({ hasText: name });
    await item.getByText("Của bạn").waitFor();
    await page.goto(`${baseUrl}/analytics`);
    await item.getByRole("button", { name: `Mở bảng ${name}` }).click();
    await page.getByText(`Đang xem bảng «${name}».`).waitFor();
    await page
      .getByRole("table", { name: /^Bảng phân tích/ })
      .getByRole("rowheader", { name: "Xã Chiềng Khoong" })
      .waitFor();
    page.once("dialog", (d) => void d.accept());
    await item.getByRole("button", { name: `Xoá bảng ${name}` }).click();
    await item.waitFor({ state: "detached" });
  });

  it("reads in English with English figures after switching the language", async () => {
    const { page } = officer;
    await page.goto(`${baseUrl}/dashboard?year=2025`);
    await page.getByRole("heading", { level: 1, name: "Tổng quan" }).waitFor();
    await page.getByRole("button", { name: /English/ }).click();
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    await page.getByRole("article", { name: "% households on the grid" }).waitFor();
    await screenshot(page, "analytics-overview-en-desktop");
    await page.getByRole("button", { name: /Tiếng Việt/ }).click();
    await page.getByRole("heading", { level: 1, name: "Tổng quan" }).waitFor();
  });
});
