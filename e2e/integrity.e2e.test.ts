import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * A value belongs to (element, unit, period), not to a form: when another form carrying the same element has its
 * report approved, the value is locked on the commune's form too. The system administrator makes a second form with
 * "Số thôn, bản" for Xã Nậm Ty (04186; no other browser flow writes there), submits and approves its 2025 report;
 * the commune's officer then finds that field read-only on the demo form, with a note saying why, in Vietnamese.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const runId = Date.now().toString(36);
const unit = "04186";
const otherForm = `E2E_KHOA_${runId}`.toUpperCase();

let browser: Browser;
let officer: { context: BrowserContext; page: Page };

async function signIn(page: Page, username: string, password: string) {
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { csrfToken: string };
}

beforeAll(async () => {
  browser = await launchBrowser();
  const adminContext = await newProfile(browser, desktop);
  const admin = await adminContext.newPage();
  const { csrfToken } = await signIn(admin, "admin", passwords.admin ?? "");
  const post = async (path: string, data: unknown) => {
    const response = await admin.request.post(`${baseUrl}/api/v1${path}`, {
      data,
      headers: { "x-csrf-token": csrfToken },
    });
    expect(response.status(), await response.text()).toBeLessThan(300);
    return response.json();
  };
  await post("/forms", {
    code: otherForm,
    nameVi: "Biểu thử khoá chéo",
    nameEn: "Cross-lock test form",
    periodType: "yearly",
    sections: [{ nameVi: "Thôn, bản", nameEn: "Villages", elements: ["VILLAGES"] }],
    units: [unit],
  });
  const move = async (action: "submit" | "approve", expectedVersion: number) =>
    post("/reports/transition", { form: otherForm, unit, period: "2025", action, expectedVersion });
  const submitted = (await move("submit", 0)) as { version: number };
  await move("approve", submitted.version);
  await adminContext.close();

  const sonlaContext = await newProfile(browser, desktop);
  const sonla = await sonlaContext.newPage();
  const { csrfToken: sonlaCsrf } = await signIn(sonla, "sonla.admin", passwords["sonla.admin"] ?? "");
  const created = await sonla.request.post(`${baseUrl}/api/v1/users`, {
    data: {
      username: `e2e.namty.${runId}`,
      displayName: "Cán bộ Nậm Ty",
      role: "commune_officer",
      scopeCode: unit,
    },
    headers: { "x-csrf-token": sonlaCsrf },
  });
  expect(created.status()).toBe(201);
  const { initialPassword } = (await created.json()) as { initialPassword: string };
  await sonlaContext.close();
  const context = await newProfile(browser, desktop);
  const page = await context.newPage();
  await signIn(page, `e2e.namty.${runId}`, initialPassword);
  officer = { context, page };
});

afterAll(async () => {
  await browser.close();
});

describe("a value locked by another form's approved report", () => {
  it("is read-only on the commune's form, with a note naming the other form", async () => {
    const { page } = officer;
    await page.goto(`${baseUrl}/reports/entry?form=KTXH_XA&unit=${unit}&period=2025`);
    const note = page.getByRole("note").filter({ hasText: "Biểu thử khoá chéo" });
    await note.waitFor();
    const villages = page.getByRole("textbox", { name: "Số thôn, bản", exact: true });
    const fruit = page.getByRole("textbox", { name: "Diện tích cây ăn quả", exact: true });
    expect([
      (await note.textContent())?.includes("đã gửi hoặc đã phê duyệt"),
      await villages.isEditable(),
      await fruit.isEditable(),
    ]).toEqual([true, false, true]);
    await screenshot(page, "integrity-cross-form-lock-desktop");
    await page.setViewportSize(phone);
    await screenshot(page, "integrity-cross-form-lock-phone");
    await page.setViewportSize(desktop);
  });

  it("answers a save through the API with 409 value_locked, in Vietnamese", async () => {
    const { page } = officer;
    const me = (await (await page.request.get(`${baseUrl}/api/v1/auth/me`)).json()) as { csrfToken: string };
    const response = await page.request.put(`${baseUrl}/api/v1/data-values`, {
      data: { form: "KTXH_XA", unit, period: "2025", element: "VILLAGES", value: 99, expectedVersion: 1 },
      headers: { "x-csrf-token": me.csrfToken },
    });
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect([response.status(), body.error.code, body.error.message]).toEqual([
      409,
      "value_locked",
      expect.stringContaining("đã bị khoá"),
    ]);
  });
});
