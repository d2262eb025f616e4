import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * The reporting flow of one commune and its province, in order: Chiềng Khương (04222) types its 2025 figures, some of
 * them offline, submits the report, and Sơn La approves it. 04222 / 2025 is this file's alone: no other browser test
 * writes to it. The tests share the pages and run in sequence, each one behaviour.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const entryPath = "/reports/entry?form=KTXH_XA&unit=04222&period=2025";

const roadTotal = "Tổng chiều dài đường xã";
const roadConcrete = "Chiều dài đường xã đã bê tông hoá";
const residents = "Dân số nông thôn";
const residentsWater = "Dân số nông thôn dùng nước sinh hoạt hợp vệ sinh";
const households = "Tổng số hộ";

let browser: Browser;
let commune: { context: BrowserContext; page: Page };
let province: { context: BrowserContext; page: Page };

/** A fresh browser profile signed in through the API: the request shares its cookies with the page. */
async function signedIn(username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newProfile(browser, desktop);
  const page = await context.newPage();
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password: passwords[username] },
  });
  expect(response.status()).toBe(200);
  return { context, page };
}

/** A field of the entry form: the fieldset named by the element, holding its input, save state and checks. */
const field = (page: Page, name: string): Locator => page.getByRole("group", { name, exact: true });
const input = (page: Page, name: string): Locator => page.getByRole("textbox", { name, exact: true });

/** Both screenshots of what the page shows now: desktop, then a 360 px phone (and back). */
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

beforeAll(async () => {
  browser = await launchBrowser();
  commune = await signedIn("chiengkhuong");
});

afterAll(async () => {
  await browser.close();
});

describe("reporting as the commune officer of Chiềng Khương", () => {
  it("opens the 2025 entry from the reports page with the keyboard only", async () => {
    const { page } = commune;
    await page.goto(`${baseUrl}/reports`);
    await page.getByRole("heading", { level: 1, name: "Báo cáo" }).waitFor();
    await page
      .getByLabel("Đơn vị", { exact: true })
      .getByRole("option", { name: "Xã Chiềng Khương" })
      .waitFor({
        state: "attached",
      });
    await page.getByRole("alert").filter({ hasText: "Dữ liệu minh hoạ" }).waitFor();
    await screenshots(page, "reporting-reports");
    // Skip link, then the form, unit and period selects. On 1 December 2026 the period offered is 2025, the year whose
    // report is due (overdue), not the 2026 still running.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.value)).toBe(
      "2025",
    );
    await page.getByText("Tình trạng: Đang nhập").waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Nhập số liệu");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/reports\/entry\?form=KTXH_XA&unit=04222&period=2025/);
    await page
      .getByRole("heading", { level: 1, name: "Báo cáo kinh tế – xã hội cấp xã (minh hoạ)" })
      .waitFor();
    await page.getByText("Xã Chiềng Khương — Năm 2025").waitFor();
  });

  it("saves two values typed with the keyboard, Enter moving to the next field", async () => {
    const { page } = commune;
    // The page puts the focus on its heading; the submit button comes before the first field.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("field-ROAD_KM_TOTAL");
    await page.keyboard.type("75,5");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("field-ROAD_KM_CONCRETE");
    await page.keyboard.type("40.2");
    await page.keyboard.press("Enter");
    await field(page, roadTotal).getByText("Đã lưu").waitFor();
    await field(page, roadConcrete).getByText("Đã lưu").waitFor();
    expect([await input(page, roadTotal).inputValue(), await input(page, roadConcrete).inputValue()]).toEqual(
      ["75,5", "40,2"],
    );
  });

  it("keeps values typed offline in a waiting list and sends them all when the connection returns", async () => {
    const { page, context } = commune;
    await context.setOffline(true);
    await input(page, residents).fill("14.900");
    await input(page, residentsWater).fill("14.700");
    await input(page, residentsWater).press("Enter");
    const banner = page.getByRole("status").filter({ hasText: "Mất kết nối – 2 giá trị đang chờ gửi" });
    await banner.waitFor();
    expect(await banner.getByRole("listitem").allTextContents()).toEqual([
      `${residents}: 14.900`,
      `${residentsWater}: 14.700`,
    ]);
    await field(page, residents).getByText("Chờ gửi").waitFor();
    await screenshots(page, "reporting-entry-offline");
    await context.setOffline(false);
    await field(page, residents).getByText("Đã lưu").waitFor();
    await field(page, residentsWater).getByText("Đã lưu").waitFor();
    await banner.waitFor({ state: "detached" });
  });

  it("finds every saved value on the server after a reload", async () => {
    const { page } = commune;
    await page.reload();
    await input(page, residentsWater).waitFor();
    expect(
      await Promise.all(
        [roadTotal, roadConcrete, residents, residentsWater].map((n) => input(page, n).inputValue()),
      ),
    ).toEqual(["75,5", "40,2", "14.900", "14.700"]);
  });

  it("keeps a value that could not be sent across a reload, and sends it when asked", async () => {
    const { page } = commune;
    await page.route("**/api/v1/data-values", (route) => route.abort("internetdisconnected"));
    await input(page, households).fill("4.300");
    await input(page, households).press("Tab");
    await field(page, households).getByText("Chờ gửi").waitFor();
    await page.reload();
    await field(page, households).getByText("Chờ gửi").waitFor();
    expect(await input(page, households).inputValue()).toBe("4.300");
    await page.unroute("**/api/v1/data-values");
    await page.getByRole("button", { name: "Gửi lại ngay" }).click();
    await field(page, households).getByText("Đã lưu").waitFor();
  });

  it("shows a broken rule next to the fields it names and refuses to submit", async () => {
    const { page } = commune;
    await input(page, roadConcrete).fill("80");
    await input(page, roadConcrete).press("Enter");
    const message = "Đường đã bê tông hoá không thể dài hơn tổng chiều dài đường xã.";
    await field(page, roadConcrete).getByText(message).waitFor();
    await field(page, roadTotal).getByText(message).waitFor();
    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    // Many fields are still empty: the report asks first, listing them (issue 10's guardrails).
    const blanks = page.getByRole("dialog", { name: "Báo cáo còn chỉ tiêu để trống" });
    await blanks.getByRole("listitem").first().waitFor();
    await blanks.getByRole("button", { name: "Vẫn gửi báo cáo" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "Chưa gửi được: còn lỗi phải sửa" });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(message);
    await screenshots(page, "reporting-entry-validation");
  });

  it("refuses a value that is not a number at once, before sending", async () => {
    const { page } = commune;
    await input(page, roadConcrete).fill("bốn mươi");
    await field(page, roadConcrete).getByText("Không phải là số").waitFor();
    expect(await input(page, roadConcrete).getAttribute("aria-invalid")).toBe("true");
  });

  it("submits the report once the rule holds, and makes the fields read-only", async () => {
    const { page } = commune;
    await input(page, roadConcrete).fill("40,2");
    await input(page, roadConcrete).press("Enter");
    await page.getByRole("button", { name: "Kiểm tra" }).click();
    await page.getByText("Không có lỗi nào trong các phép kiểm tra.").waitFor();
    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Vẫn gửi báo cáo" }).click();
    await page.getByText("Đã gửi báo cáo.").waitFor();
    const status = page.getByRole("region", { name: "Tình trạng báo cáo" });
    await status.getByText("Đã gửi", { exact: true }).waitFor();
    expect(await input(page, roadTotal).isEditable()).toBe(false);
    await screenshots(page, "reporting-entry-submitted");
  });
});

describe("reporting as the Sơn La province officer", () => {
  beforeAll(async () => {
    province = await signedIn("sonla.officer");
  });

  it("sees Chiềng Khương submitted in the status of the nine Sông Mã communes", async () => {
    const { page } = province;
    await page.goto(`${baseUrl}/reports/status?form=KTXH_XA&period=2025`);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: /Xã Chiềng Khương/ }) });
    await row.waitFor();
    expect(await row.textContent()).toContain("Đã gửi");
    expect(await page.getByRole("region", { name: "Tổng hợp" }).textContent()).toContain("9 đơn vị");
    await screenshots(page, "reporting-status");
  });

  it("approves the report, which locks its figures", async () => {
    const { page } = province;
    await page.getByRole("link", { name: "Mở số liệu của Xã Chiềng Khương" }).click();
    await page.getByRole("button", { name: "Phê duyệt" }).click();
    await page.getByText("Đã phê duyệt báo cáo; số liệu đã khoá.").waitFor();
    await page.getByRole("button", { name: "Mở khoá" }).waitFor();
    expect(await input(page, roadTotal).isEditable()).toBe(false);
    await screenshots(page, "reporting-entry-approved");
  });

  it("shows the commune officer the lock too", async () => {
    const { page } = commune;
    await page.goto(`${baseUrl}${entryPath}`);
    await page.getByRole("region", { name: "Tình trạng báo cáo" }).getByText("Đã phê duyệt").waitFor();
    await page.getByText("Báo cáo đã được phê duyệt và khoá.").waitFor();
    expect(await input(page, residents).isEditable()).toBe(false);
    expect(await page.getByRole("button", { name: "Gửi báo cáo" }).count()).toBe(0);
  });
});
