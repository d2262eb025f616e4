import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * A province runs its own reporting (issue 10): Sơn La's administrator designs a monthly form in the form designer
 * and assigns it to five of its communes; Chiềng Khương's officer then finds it among its reports. The form made here
 * is new and this file's alone.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const formName = "Báo cáo tháng về đường giao thông xã";
const communes = ["04222", "04219", "04168", "04171", "04204"];

let browser: Browser;
const contexts: BrowserContext[] = [];

async function signedIn(username: string): Promise<Page> {
  const context = await newProfile(browser, desktop);
  contexts.push(context);
  const page = await context.newPage();
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password: passwords[username] },
  });
  expect(response.status()).toBe(200);
  return page;
}

let admin: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await signedIn("sonla.admin");
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser.close();
});

describe("a province administrator designs a form", () => {
  it("opens the designer from the forms of the catalogue", async () => {
    await admin.goto(`${baseUrl}/catalogue?tab=forms`);
    await admin.getByRole("button", { name: "Tạo biểu mẫu" }).click();
    await admin.getByRole("heading", { level: 1, name: "Tạo biểu mẫu báo cáo" }).waitFor();
  });

  it("names the form, keeps it monthly, due on the 20th of the month after", async () => {
    await admin.getByLabel("Mã biểu mẫu").fill("SL_DUONG_THANG");
    await admin.getByLabel("Tên tiếng Việt").fill(formName);
    await admin.getByLabel("Tên tiếng Anh").fill("Monthly commune roads report");
    await admin.getByLabel("Tên phần (tiếng Việt)").fill("Đường giao thông");
    await admin.getByLabel("Tên phần (tiếng Anh)").fill("Roads");
    expect(await admin.getByLabel("Kỳ báo cáo").inputValue()).toBe("monthly");
    await admin
      .getByText(/Ví dụ: kỳ \d{6} hạn nộp 20\/\d\d\/\d{4}\./)
      .first()
      .waitFor();
  });

  it("takes two elements from the catalogue and shows them in the preview", async () => {
    const elements = admin.getByLabel("Chỉ tiêu trong phần").and(admin.locator("input"));
    for (const element of ["Tổng chiều dài đường xã", "Chiều dài đường xã đã bê tông hoá"]) {
      await elements.click();
      await elements.fill(element.slice(0, 12));
      await admin.getByRole("option", { name: new RegExp(`^${element}`) }).click();
    }
    const preview = admin.getByRole("region", { name: "Xem trước" });
    await preview.getByRole("textbox", { name: "Chiều dài đường xã đã bê tông hoá" }).waitFor();
    expect(await preview.getByRole("textbox").count()).toBe(2);
  });

  it("assigns five communes of the province", async () => {
    const picker = admin.getByLabel("Thêm đơn vị").and(admin.locator("input"));
    for (const code of communes) {
      await picker.fill(code);
      await admin.getByRole("option", { name: new RegExp(`${code} · Tỉnh`) }).click();
    }
    await admin.getByText("Đã chọn 5 đơn vị.").waitFor();
    await screenshot(admin, "forms-designer-desktop");
    await admin.setViewportSize(phone);
    expect(await admin.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      phone.width,
    );
    await screenshot(admin, "forms-designer-phone");
    await admin.setViewportSize(desktop);
  });

  it("saves the form, owned by the province, with its five communes", async () => {
    await admin.getByRole("button", { name: "Lưu biểu mẫu" }).click();
    await admin.waitForURL(/\/catalogue\/forms\/SL_DUONG_THANG$/);
    await admin.getByRole("heading", { level: 1, name: formName }).waitFor();
    await admin.getByText("Ngày 20 của tháng sau kỳ báo cáo").waitFor();
    const design = await admin.request.get(`${baseUrl}/api/v1/forms/SL_DUONG_THANG/design`);
    const body = (await design.json()) as { ownerUnitCode: string; units: string[] };
    expect([body.ownerUnitCode, [...body.units].sort()]).toEqual(["14", [...communes].sort()]);
  });
});

describe("a commune of the form", () => {
  it("finds the new form among its reports", async () => {
    const commune = await signedIn("chiengkhuong");
    await commune.goto(`${baseUrl}/reports`);
    await commune.getByRole("heading", { level: 1, name: "Báo cáo" }).waitFor();
    await commune
      .getByLabel("Biểu mẫu", { exact: true })
      .getByRole("option", { name: formName })
      .waitFor({ state: "attached" });
  });

  it("sees the new form's reports on its home page, each one click from its form", async () => {
    const commune = await signedIn("chiengkhuong");
    await commune.goto(`${baseUrl}/`);
    const item = commune.getByRole("link", { name: new RegExp(formName) }).first();
    await item.waitFor();
    await item.click();
    await commune.waitForURL(/\/reports\/entry\?form=/);
    await commune.getByRole("heading", { level: 1, name: formName }).waitFor();
  });
});
