import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * Support that reaches each family once, in Chiềng Khương (04222): the commune officer creates a programme for policy
 * families, opens a cycle, proposes the list from the register, adds a household the proposal missed (and is told
 * clearly when it is already there), takes one off with a reason, has the list approved, then on a 360 px phone
 * records one delivery and one "not delivered". The officer records a flood-hit household and confirms the commune's
 * report; the province's leader (a viewer account: counts, never names) follows the damage and relief per commune.
 * The tests share the pages and run in sequence.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const programmeName = "Hỗ trợ gạo giáp hạt 2026 (thử)";
/** A small PNG, as the photo of a signed receipt taken with the phone. */
const receiptPhoto = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

let browser: Browser;
let officer: { context: BrowserContext; page: Page };
let cyclePath = "";

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

/** A household of the commune that the list does not hold yet: its code and its head's name. */
async function householdNotListed(page: Page, listed: string[]): Promise<{ code: string; headName: string }> {
  const response = await page.request.get(`${baseUrl}/api/v1/households?commune=04222&limit=200`);
  const { items } = (await response.json()) as { items: Array<{ code: string; headName: string }> };
  const names = new Map<string, number>();
  for (const h of items) names.set(h.headName, (names.get(h.headName) ?? 0) + 1);
  const found = items.find(
    (h) => h.code.startsWith("CK-") && !listed.includes(h.code) && names.get(h.headName) === 1,
  );
  if (!found) throw new Error("the demo commune has no household left to add");
  return found;
}

/** Finds a household by its head's name in a picker and chooses the result with this code. */
async function pick(page: Page, household: { code: string; headName: string }): Promise<void> {
  await page.getByRole("textbox", { name: /Tìm hộ trong xã/ }).fill(household.headName);
  const row = page
    .locator("div")
    .filter({ hasText: household.code })
    .filter({
      has: page.getByRole("button", { name: "Chọn", exact: true }),
    });
  await row.last().getByRole("button", { name: "Chọn", exact: true }).click();
}

const listedCodes = async (page: Page) =>
  (
    await page
      .locator("[data-testid^=entitlement-]")
      .evaluateAll((cards) => cards.map((c) => c.getAttribute("data-testid") ?? ""))
  ).map((id) => id.replace("entitlement-", ""));

beforeAll(async () => {
  browser = await launchBrowser();
  officer = await signedIn("chiengkhuong");
});

afterAll(async () => {
  await browser.close();
});

describe("a support programme of Chiềng Khương, from the rule to the last household", () => {
  it("creates a programme for policy families with goods per household", async () => {
    const { page } = officer;
    await page.goto(`${baseUrl}/households/support`);
    await page.getByRole("heading", { level: 1, name: "Chương trình hỗ trợ" }).waitFor();
    await page.getByRole("button", { name: "Tạo chương trình" }).click();
    await page.getByRole("textbox", { name: "Tên chương trình" }).fill(programmeName);
    await page
      .getByRole("textbox", { name: "Nguồn kinh phí, đơn vị tài trợ" })
      .fill("Ngân sách xã (minh hoạ)");
    await page.getByRole("checkbox", { name: "Gia đình chính sách" }).check();
    await page.getByRole("combobox", { name: "Hình thức hỗ trợ" }).selectOption("goods");
    await page.getByRole("textbox", { name: "Mô tả hiện vật, gói quà" }).fill("15 kg gạo");
    await screenshot(page, "support-programme-form-desktop");
    await page.getByRole("button", { name: "Tạo chương trình" }).click();
    await page.getByRole("heading", { level: 1, name: programmeName }).waitFor();
    await page.getByText("Đối tượng: gia đình chính sách").waitFor();
  });

  it("opens a cycle for the commune and proposes its list from the register", async () => {
    const { page } = officer;
    await screenshot(page, "support-programme-desktop");
    await page.getByRole("textbox", { name: "Tên đợt" }).fill("Đợt 1");
    await page.getByRole("button", { name: "Mở đợt" }).click();
    await page.waitForURL(/\/households\/cycles\/\d+$/);
    await page.getByRole("heading", { level: 1, name: programmeName }).waitFor();
    cyclePath = new URL(page.url()).pathname;
    expect(cyclePath).toMatch(/^\/households\/cycles\/\d+$/);
    await page.getByRole("button", { name: "Đề xuất danh sách từ sổ hộ" }).click();
    await page.getByText(/Đã thêm [1-9]\d* hộ đủ điều kiện vào danh sách/).waitFor();
    await page.locator("[data-testid^=entitlement-]").first().waitFor();
  });

  it("adds a household the proposal missed, with a reason, and says clearly when it is already listed", async () => {
    const { page } = officer;
    const missed = await householdNotListed(page, await listedCodes(page));
    await page.getByText("Thêm hộ bị bỏ sót", { exact: true }).click();
    await pick(page, missed);
    await page.getByRole("textbox", { name: "Lý do thêm" }).fill("Hộ mới được công nhận gia đình chính sách");
    await page.getByRole("button", { name: "Thêm vào danh sách" }).click();
    await page
      .getByTestId(`entitlement-${missed.code}`)
      .getByText("Lý do thêm: Hộ mới được công nhận")
      .waitFor();
    await pick(page, missed);
    await page.getByRole("textbox", { name: "Lý do thêm" }).fill("Thêm lần nữa");
    await page.getByRole("button", { name: "Thêm vào danh sách" }).click();
    await page.getByRole("alert").filter({ hasText: "Hộ này đã có trong danh sách của đợt" }).waitFor();
    await screenshot(page, "support-cycle-draft-desktop");
  });

  it("takes a household off the list with a reason before approval", async () => {
    const { page } = officer;
    const card = page.locator("[data-testid^=entitlement-]").first();
    const code = ((await card.getAttribute("data-testid")) ?? "").replace("entitlement-", "");
    await card.getByRole("button", { name: "Bớt khỏi danh sách" }).click();
    await card.getByRole("textbox", { name: "Lý do bớt" }).fill("Đã chuyển đi xã khác");
    await card.getByRole("button", { name: "Bớt", exact: true }).click();
    await page.getByText("Hộ đã bớt khỏi danh sách (1)").waitFor();
    await page.getByText(`(${code}): Đã chuyển đi xã khác`).waitFor();
  });

  it("submits and approves the list", async () => {
    const { page } = officer;
    await page.getByRole("button", { name: "Trình duyệt danh sách" }).click();
    await page.getByRole("button", { name: "Duyệt danh sách" }).click();
    await page.getByText("Danh sách đã duyệt: ghi nhận cấp phát cho từng hộ.").waitFor();
  });

  it("records a delivery with a photo of the receipt and a 'not delivered' on a 360 px phone, and the reconciliation follows", async () => {
    const { context, page } = await signedIn("chiengkhuong", phone);
    await page.goto(`${baseUrl}/households/support`);
    await page.getByRole("link", { name: programmeName }).waitFor();
    await fitsPhone(page);
    await screenshot(page, "support-programmes-phone");
    await page.goto(`${baseUrl}${cyclePath}`);
    await page.getByRole("heading", { level: 1, name: programmeName }).waitFor();
    const open = page
      .locator("[data-testid^=entitlement-]")
      .filter({ has: page.getByRole("button", { name: "Ghi nhận đã nhận" }) });
    const first = page.getByTestId((await open.first().getAttribute("data-testid")) ?? "");
    await first.getByRole("button", { name: "Ghi nhận đã nhận" }).click();
    await first.getByRole("textbox", { name: "Người nhận" }).fill("Lò Thị Hoa (vợ nhận thay)");
    await first
      .locator("input[type=file]")
      .setInputFiles({ name: "biên-nhận-01.png", mimeType: "image/png", buffer: receiptPhoto });
    await first.getByText("biên-nhận-01.png").waitFor();
    await screenshot(page, "support-delivery-form-phone");
    await first.getByRole("button", { name: "Lưu" }).click();
    await first.getByText("Lò Thị Hoa (vợ nhận thay)").waitFor();
    const link = first.getByRole("link", { name: "biên-nhận-01.png" });
    await link.waitFor();
    const download = await page.request.get(`${baseUrl}${(await link.getAttribute("href")) ?? ""}`);
    expect([
      download.status(),
      download.headers()["content-type"],
      Buffer.from(await download.body()),
    ]).toEqual([200, "image/png", receiptPhoto]);
    await fitsPhone(page);
    await screenshot(page, "support-delivery-evidence-phone");

    const second = page.getByTestId((await open.first().getAttribute("data-testid")) ?? "");
    await second.getByRole("button", { name: "Không nhận được" }).click();
    await second.getByRole("combobox", { name: "Lý do" }).selectOption("moved");
    await second.getByRole("textbox", { name: "Ghi rõ" }).fill("Cả hộ chuyển xuống thị trấn");
    await second.getByRole("button", { name: "Lưu" }).click();
    await second.getByText("Đã chuyển đi — Cả hộ chuyển xuống thị trấn").waitFor();

    expect([
      await page.getByTestId("count-delivered").innerText(),
      await page.getByTestId("count-not-delivered").innerText(),
    ]).toEqual(["1", "1"]);
    await page.getByText("Lý do không nhận được: Đã chuyển đi 1").waitFor();
    await page.getByText("Có minh chứng 1/1 hộ đã nhận").waitFor();
    await fitsPhone(page);
    await screenshot(page, "support-cycle-phone");
    await context.close();
  });

  it("shows a viewer the reconciliation but no household's name", async () => {
    const { context, page } = await signedIn("sonla.viewer");
    await page.goto(`${baseUrl}${cyclePath}`);
    await page.getByTestId("reconciliation").waitFor();
    await page.getByText("Vai trò của bạn chỉ xem số liệu tổng hợp, không xem tên hộ").waitFor();
    expect(await page.locator("[data-testid^=entitlement-]").count()).toBe(0);
    await context.close();
  });
});

describe("the September 2025 flash flood", () => {
  it("lets the commune record a household's damage and confirm its report", async () => {
    const { page } = officer;
    await page.goto(`${baseUrl}/households/disasters`);
    await page.getByRole("link", { name: "Lũ quét tháng 9/2025 (minh hoạ)" }).click();
    await page.getByRole("heading", { level: 2, name: "Thiệt hại của Xã Chiềng Khương" }).waitFor();
    await page.getByTestId("damage-list").locator("tbody tr").first().waitFor();
    const damaged = await page.getByTestId("damage-list").locator("tbody tr p").allInnerTexts();
    const household = await householdNotListed(page, damaged);
    await pick(page, household);
    await page.getByRole("combobox", { name: "Nhà ở" }).selectOption("destroyed");
    await page.getByRole("button", { name: "Lưu thiệt hại" }).click();
    await page.getByText(`Đã ghi thiệt hại của hộ ${household.headName}.`).waitFor();
    await page.getByRole("button", { name: "Xác nhận xã đã báo cáo xong thiệt hại" }).click();
    await page.getByText("Xã đã xác nhận báo cáo xong.").waitFor();
    await screenshot(page, "disaster-commune-desktop");
  });

  it("shows the province's leader damage and relief per commune, with how many communes reported", async () => {
    const { context, page } = await signedIn("sonla.viewer");
    await page.goto(`${baseUrl}/households/disasters`);
    await page.getByRole("heading", { level: 1, name: "Thiên tai và cứu trợ" }).waitFor();
    await page.getByRole("link", { name: "Lũ quét tháng 9/2025 (minh hoạ)" }).click();
    await page.getByTestId("disaster-coverage").getByText("1/2 xã đã báo cáo xong thiệt hại").waitFor();
    const row = page.getByTestId("commune-04222");
    await row.getByText("Đã xong").waitFor();
    await page.getByTestId("commune-04219").getByText("Chưa báo cáo").waitFor();
    await page.getByRole("link", { name: "Hỗ trợ khắc phục lũ quét tháng 9/2025" }).waitFor();
    expect(await page.getByRole("heading", { name: /Thiệt hại của xã/ }).count()).toBe(0);
    await screenshot(page, "disaster-province-desktop");
    await page.setViewportSize(phone);
    await screenshot(page, "disaster-province-phone");
    await context.close();
  });
});
