import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * Honest figures: Sơn La's 2025 key indicators come from the 9 Sông Mã communes of its 75, and say so; a province
 * administrator declares the share of a split commune's partial edge on the unit page. The edge is old Xã Mường Bằng
 * (04111) → today's Xã Mường Bang (03943), which no other browser test touches.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");

let browser: Browser;

async function signedIn(username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newProfile(browser, desktop);
  const page = await context.newPage();
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password: passwords[username] ?? "" },
  });
  expect(response.status()).toBe(200);
  return { context, page };
}

async function bothScreens(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(phone);
  await page.waitForTimeout(300);
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
    phone.width,
  );
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(desktop);
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe("coverage on the cards", () => {
  it("shows '9 / 75 xã' beside Sơn La's poverty rate and marks it partial", async () => {
    const { page, context } = await signedIn("sonla.officer");
    const api = await page.request.get(`${baseUrl}/api/v1/analytics`, {
      params: { dx: "POVERTY_RATE", pe: "2025", ou: "14" },
    });
    const [row] = (
      (await api.json()) as { rows: Array<{ coverage: { reporting: number; expected: number } }> }
    ).rows;
    expect(row?.coverage).toEqual({ reporting: 9, expected: 75 });
    await page.goto(`${baseUrl}/dashboard?year=2025`);
    const card = page.getByRole("article", { name: "Tỷ lệ hộ nghèo", exact: true });
    await card.waitFor();
    await card.getByText("9 / 75 xã").waitFor();
    await card.getByText("Chưa đủ xã", { exact: true }).waitFor();
    await bothScreens(page, "coverage-cards");
    await context.close();
  });
});

describe("a merged commune's profile", () => {
  it("says its 2014 figures add up the old communes it was formed from, and names them", async () => {
    const { page, context } = await signedIn("nghean.officer");
    await page.goto(`${baseUrl}/dashboard/units/16849`);
    await page.getByRole("heading", { level: 2, name: "Xã Hữu Kiệm" }).waitFor();
    const note = page.getByRole("note").filter({ hasText: "Số liệu năm 2014 là tổng của 3 đơn vị cũ" });
    await note.waitFor();
    expect(await note.textContent()).toMatch(
      /Xã Bảo Nam.*Xã Hữu Kiệm.*Xã Hữu Lập|Xã Bảo Nam.*Xã Hữu Lập.*Xã Hữu Kiệm/,
    );
    await bothScreens(page, "coverage-merged-profile");
    await context.close();
  });
});

describe("a commune officer's own profile", () => {
  it("shows the commune alone, without asking for the province figures its officer may not read", async () => {
    const { page, context } = await signedIn("chiengkhuong");
    const refused: string[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/api/") && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${baseUrl}/dashboard/units/04222`);
    await page.getByRole("heading", { level: 2, name: "Xã Chiềng Khương" }).waitFor();
    await page.getByText("Các chỉ tiêu của Xã Chiềng Khương qua các năm.").waitFor();
    await page.waitForLoadState("networkidle");
    expect(refused).toEqual([]);
    await context.close();
  });
});

describe("declaring a share on the unit page", () => {
  it("lets Sơn La's administrator give 60 % of old Mường Bằng to Mường Bang, with its basis", async () => {
    const { page, context } = await signedIn("sonla.admin");
    await page.goto(`${baseUrl}/units/04111?at=2025-06-30`);
    await page.getByRole("heading", { level: 1, name: "Xã Mường Bằng" }).waitFor();
    await page.getByRole("button", { name: "Khai báo tỷ lệ chuyển sang Xã Mường Bang" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Tỷ lệ" }).fill("60");
    await dialog.getByRole("textbox", { name: "Căn cứ" }).fill("dân số 2024");
    await screenshot(page, "coverage-share-dialog-desktop");
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().includes("/api/v1/lineage-edges/") && r.request().method() === "PATCH",
      ),
      dialog.getByRole("button", { name: "Lưu tỷ lệ" }).click(),
    ]);
    expect(response.status()).toBe(200);
    await dialog.waitFor({ state: "hidden" });
    await page.getByText("Một phần (60%)").waitFor();
    await page.getByText("Căn cứ: dân số 2024").waitFor();
    await bothScreens(page, "coverage-share-declared");
    // The edge now carries the share the analytics read.
    const history = await page.request.get(`${baseUrl}/api/v1/units/04111`, { params: { at: "2025-06-30" } });
    const body = (await history.json()) as {
      selected: { successors: Array<{ share: number | null; unit: { code: string } }> };
    };
    expect(body.selected.successors.find((s) => s.unit.code === "03943")?.share).toBe(0.6);
    await context.close();
  });

  it("lists each commune of an old district with where it went", async () => {
    const { page, context } = await signedIn("sonla.officer");
    await page.goto(`${baseUrl}/units/126?at=2025-06-30`);
    await page.getByRole("heading", { level: 1, name: "Huyện Sông Mã" }).waitFor();
    const became = page.getByRole("region", { name: "Chuyển thành" });
    await became.getByText(/đơn vị trực thuộc vào ngày cuối cùng/).waitFor();
    await became.getByRole("listitem").first().getByText("→").waitFor();
    expect(await became.getByRole("listitem").count()).toBeGreaterThan(5);
    // Each line says where that commune went once its history has come: no "…" is left.
    await expect.poll(() => became.getByText("→ …").count(), { timeout: 15_000 }).toBe(0);
    await became
      .getByText(/Xã Chiềng Khoong → Xã Chiềng Khoong \(toàn bộ\)|Xã Chiềng Khoong → .+\(/)
      .waitFor();
    await bothScreens(page, "coverage-old-district");
    await context.close();
  });
});
