import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * The indicator catalogue: Sơn La's administrator adds an indicator through the formula editor, a commune officer
 * only reads. Indicators are not part of any form's data entry, so the ones made here disturb no other browser test;
 * nothing here saves a form's units or a validation rule, which the reporting flow depends on.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

afterEach(async () => {
  await context.close();
});

/** A fresh profile signed in through the API (the request shares its cookies with the page), then the page. */
async function openSignedIn(
  username: string,
  viewport: { width: number; height: number },
  path: string,
): Promise<{ csrfToken: string }> {
  context = await newProfile(browser, viewport);
  page = await context.newPage();
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password: passwords[username] },
  });
  expect(response.status()).toBe(200);
  await page.goto(`${baseUrl}${path}`);
  await page.getByRole("heading", { level: 1 }).waitFor();
  return (await response.json()) as { csrfToken: string };
}

/** A code no earlier run has used: indicators cannot be deleted. */
const uniqueCode = (prefix: string) => `${prefix}_${Date.now().toString(36).toUpperCase()}`;

async function openNewIndicatorDialog(): Promise<Locator> {
  await page.getByRole("tab", { name: /^Chỉ số/ }).click();
  await page.getByRole("button", { name: "Thêm chỉ số" }).click();
  const dialog = page.getByRole("dialog", { name: "Thêm chỉ số" });
  await dialog.waitFor();
  return dialog;
}

/** Types as a person does, key by key, so the editor checks the text at every step. */
async function typeFormula(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.pressSequentially(text);
}

const unknownElementMessage = "Vị trí 14: Chưa có chỉ tiêu “NO_SUCH” trong danh mục";

describe("the formula editor, as sonla.admin", () => {
  it("says in Vietnamese at which position a formula names an unknown element, and holds Save back", async () => {
    await openSignedIn("sonla.admin", desktop, "/catalogue");
    const dialog = await openNewIndicatorDialog();
    const numerator = dialog.getByRole("textbox", { name: "Tử số" });
    await typeFormula(numerator, "#{HH_POOR} + ");
    await dialog.getByText("Vị trí 14 (cuối công thức): Sau “+” cần một số").waitFor();
    await numerator.pressSequentially("#{NO_SUCH}");
    await dialog.getByText(unknownElementMessage).waitFor();
    expect(await numerator.getAttribute("aria-invalid")).toBe("true");
    expect(await dialog.getByTestId("expression-mirror").locator("mark").textContent()).toBe("#{NO_SUCH}");
    expect(await dialog.getByRole("button", { name: "Thêm vào danh mục" }).isDisabled()).toBe(true);
    await screenshot(page, "catalogue-formula-error-desktop");
  });

  it("saves an indicator once its formula is fixed, and lists it among the indicators", async () => {
    await openSignedIn("sonla.admin", desktop, "/catalogue");
    const code = uniqueCode("HH_POOR_SUM");
    const dialog = await openNewIndicatorDialog();
    await dialog.getByRole("textbox", { name: "Mã" }).fill(code);
    await dialog.getByRole("textbox", { name: "Tên tiếng Việt" }).fill("Tổng hộ nghèo và cận nghèo (thử)");
    await dialog.getByRole("textbox", { name: "Tên tiếng Anh" }).fill("Poor and near-poor households (test)");
    const numerator = dialog.getByRole("textbox", { name: "Tử số" });
    await typeFormula(numerator, "#{HH_POOR} + #{NO_SUCH}");
    await dialog.getByText(unknownElementMessage).waitFor();
    const save = dialog.getByRole("button", { name: "Thêm vào danh mục" });
    expect(await save.isDisabled()).toBe(true);

    await numerator.fill("#{HH_POOR} + #{HH_NEAR_POOR}");
    await dialog.getByRole("textbox", { name: "Mẫu số" }).fill("#{HH_TOTAL}");
    const preview = dialog.getByRole("region", { name: "Xem trước công thức" });
    await preview.getByText("Số hộ cận nghèo").first().waitFor();
    expect(await save.isDisabled()).toBe(false);
    await save.click();

    await dialog.waitFor({ state: "detached" });
    await page.getByRole("status").getByText(`Đã lưu ${code}.`).waitFor();
    const row = page.getByRole("row").filter({ hasText: code });
    await row.waitFor();
    expect(await row.textContent()).toContain("Tổng hộ nghèo và cận nghèo (thử)");
    expect(await row.textContent()).toContain("Tổng số hộ");
    await screenshot(page, "catalogue-indicators-desktop");
  });

  it("shows what a colleague saved meanwhile, then saves the change on top of their version", async () => {
    const { csrfToken } = await openSignedIn("sonla.admin", desktop, "/catalogue");
    const api = (method: "POST" | "PATCH" | "GET", path: string, data?: object) =>
      page.request.fetch(`${baseUrl}/api/v1${path}`, {
        method,
        data,
        headers: { "x-csrf-token": csrfToken },
      });
    const code = uniqueCode("HH_NEAR_SHARE");
    const created = await api("POST", "/indicators", {
      code,
      nameVi: "Tỷ lệ hộ cận nghèo (thử)",
      nameEn: "Near-poor share (test)",
      numerator: "#{HH_NEAR_POOR}",
      denominator: "#{HH_TOTAL}",
      factor: 100,
      decimals: 1,
      higherIsBetter: false,
    });
    expect(created.status()).toBe(201);
    await page.reload();
    await page.getByRole("tab", { name: /^Chỉ số/ }).click();
    await page.getByRole("button", { name: `Sửa ${code}` }).click();
    const dialog = page.getByRole("dialog", { name: `Sửa chỉ số ${code}` });
    await dialog.waitFor();

    // A colleague renames it in English while this dialog is open.
    const theirs = await api("PATCH", `/indicators/${code}`, {
      nameEn: "Near-poor households, share",
      version: 1,
    });
    expect(theirs.status()).toBe(200);
    await dialog.getByRole("textbox", { name: "Tên tiếng Việt" }).fill("Tỷ lệ hộ cận nghèo");
    await dialog.getByRole("button", { name: "Lưu thay đổi" }).click();
    await dialog.getByText("Có người vừa sửa mục này").waitFor();
    await screenshot(page, "catalogue-stale-desktop");

    await dialog.getByRole("button", { name: "Lưu thay đổi" }).click();
    await dialog.waitFor({ state: "detached" });
    const catalogue = (await (await api("GET", "/catalogue")).json()) as {
      indicators: Array<{ code: string; nameVi: string; nameEn: string }>;
    };
    expect(catalogue.indicators.find((i) => i.code === code)).toMatchObject({
      nameVi: "Tỷ lệ hộ cận nghèo",
      nameEn: "Near-poor households, share",
    });
  });

  it("writes #{CODE} at the cursor when an element is picked by its Vietnamese name", async () => {
    await openSignedIn("sonla.admin", desktop, "/catalogue");
    const dialog = await openNewIndicatorDialog();
    const numerator = dialog.getByRole("textbox", { name: "Tử số" });
    await typeFormula(numerator, "100 * #{cận ngh");
    await page.getByRole("option", { name: /Số hộ cận nghèo/ }).click();
    expect(await numerator.inputValue()).toBe("100 * #{HH_NEAR_POOR}");
  });

  it("fits the tabs and the formula editor on a 360 px phone", async () => {
    await openSignedIn("sonla.admin", phone, "/catalogue");
    for (const tab of ["Chỉ tiêu dữ liệu", "Chỉ số", "Quy tắc kiểm tra", "Biểu mẫu báo cáo"]) {
      await page.getByRole("tab", { name: new RegExp(`^${tab}`) }).click();
      await page.getByRole("tabpanel").getByRole("table").waitFor();
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
        phone.width,
      );
      await screenshot(page, `catalogue-tab-${tab.replaceAll(" ", "-")}-phone`);
    }
    const dialog = await openNewIndicatorDialog();
    await typeFormula(dialog.getByRole("textbox", { name: "Tử số" }), "#{HH_POOR} + #{NO_SUCH}");
    await dialog.getByText(unknownElementMessage).waitFor();
    await screenshot(page, "catalogue-formula-error-phone");
  });
});

describe("the catalogue, as a commune officer", () => {
  it("is read-only: no button adds or changes an entry", async () => {
    await openSignedIn("chiengkhuong", desktop, "/catalogue?tab=indicators");
    await page.getByRole("row", { name: /^POVERTY_RATE/ }).waitFor();
    await page.getByText("Bạn đang xem danh mục.").waitFor();
    expect(await page.getByRole("button", { name: "Thêm chỉ số" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Sửa / }).count()).toBe(0);
    await screenshot(page, "catalogue-read-only-desktop");
  });
});

describe("a report form", () => {
  it("lists KTXH_XA's sections in order and its reporting units by name", async () => {
    await openSignedIn("admin", desktop, "/catalogue?tab=forms");
    await page.getByRole("link", { name: /Báo cáo kinh tế/ }).click();
    await page.getByRole("heading", { level: 2, name: "Các phần và chỉ tiêu" }).waitFor();
    const units = page.getByRole("region", { name: "Đơn vị báo cáo" });
    await units.getByRole("link", { name: "Xã Chiềng Khương" }).waitFor();
    expect(await page.getByText("Minh hoạ", { exact: true }).first().isVisible()).toBe(true);
    await screenshot(page, "catalogue-form-desktop");
  });

  it("stages a unit for removal and leaves the list as it was on cancel", async () => {
    await openSignedIn("admin", desktop, "/catalogue/forms/KTXH_XA");
    const units = page.getByRole("region", { name: "Đơn vị báo cáo" });
    await units.getByRole("button", { name: "Sửa danh sách đơn vị" }).click();
    await units.getByRole("button", { name: "Bỏ Xã Chiềng Khương khỏi biểu mẫu" }).click();
    await units.getByText("Sẽ bỏ").waitFor();
    await units.getByRole("combobox", { name: "Thêm đơn vị báo cáo" }).fill("muong la");
    await page
      .getByRole("option", { name: /Xã Mường La/ })
      .first()
      .waitFor();
    await screenshot(page, "catalogue-form-units-editing-desktop");
    await units.getByRole("button", { name: "Huỷ" }).click();
    expect(await units.getByText("Sẽ bỏ").count()).toBe(0);
    await units.getByRole("link", { name: "Xã Chiềng Khương" }).waitFor();
  });
});
