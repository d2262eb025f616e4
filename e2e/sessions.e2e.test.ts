import { rm, writeFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { todayInVietnam } from "../src/modules/units/text.ts";
import { desktop, launchBrowser, newProfile, phone, screenshot } from "./browser.ts";

/*
 * A working session from the province's desk to a commune officer's phone: Sơn La records a meeting with Chiềng
 * Khương and Mường Hung, two proposals and three directions, answers one proposal; Chiềng Khương reports progress
 * with evidence; the overdue list changes when the server's clock passes a due date. Meeting titles and contents
 * here are this file's own. The tests run in order and share the pages.
 */

const baseUrl = inject("baseUrl");
const passwords = inject("demoPasswords");
const clockFile = inject("clockFile");

const today = todayInVietnam();
const plusDays = (days: number) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const typed = (iso: string) => iso.split("-").reverse().join("/");

const meetingTitle = "Làm việc với xã Chiềng Khương và xã Mường Hung (kiểm thử)";
const directionSoon = "Rà soát các hộ có nhà ở vùng nguy cơ sạt lở (kiểm thử)";
const directionLater = "Hoàn thiện hồ sơ đề nghị công nhận xã nông thôn mới (kiểm thử)";
const directionLatest = "Tổ chức giao lưu văn hoá với bản kết nghĩa (kiểm thử)";
const proposalAnswered = "Đề nghị hỗ trợ kinh phí sửa đường nội bản Huổi Một (kiểm thử)";
const proposalOther = "Đề nghị bổ sung biên chế công chức địa chính (kiểm thử)";
const answerText = "Đồng ý hỗ trợ 500 triệu đồng từ nguồn ngân sách tỉnh năm sau.";

let browser: Browser;
let province: { context: BrowserContext; page: Page };
let commune: { context: BrowserContext; page: Page };
let meetingUrl = "";

async function signedIn(
  username: string,
  viewport = desktop,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newProfile(browser, viewport);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password: passwords[username] },
  });
  expect(response.status()).toBe(200);
  return { context, page };
}

/** Both screenshots of what the page shows now: desktop, then a 360 px phone with nothing wider than it. */
async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize(desktop);
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(phone);
  await page.getByRole("heading", { level: 1 }).waitFor();
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
    phone.width,
  );
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(desktop);
}

async function typeDay(
  page: Page,
  label: string,
  iso: string,
  scope: Page | ReturnType<Page["locator"]> = page,
) {
  const input = scope.getByRole("textbox", { name: label, exact: true });
  await input.fill(typed(iso));
  await input.press("Tab");
}

beforeAll(async () => {
  browser = await launchBrowser();
  province = await signedIn("sonla.officer");
  commune = await signedIn("chiengkhuong", phone);
});

afterEach(async (context) => {
  // What the pages showed when a step failed, to read the error on screen.
  if (context.task.result?.state === "fail") {
    await screenshot(province.page, "sessions-failed-province");
    await screenshot(commune.page, "sessions-failed-commune");
  }
});

afterAll(async () => {
  await rm(clockFile, { force: true });
  await browser.close();
});

describe("a working session recorded by the province", () => {
  it("records a meeting with two communes, its delegation and its notice number", async () => {
    const { page } = province;
    await page.goto(`${baseUrl}/sessions`);
    await page.getByRole("heading", { level: 1, name: "Các buổi làm việc" }).waitFor();
    await page.getByRole("link", { name: /Ban Thường vụ Tỉnh ủy làm việc/ }).waitFor();
    await screenshots(page, "sessions-meetings");
    await page.getByRole("link", { name: "Ghi cuộc họp mới" }).click();
    await page.getByRole("heading", { level: 1, name: "Ghi cuộc họp mới" }).waitFor();
    await page.getByRole("textbox", { name: "Tiêu đề", exact: true }).fill(meetingTitle);
    await page.getByRole("textbox", { name: "Địa điểm", exact: true }).fill("Trụ sở xã Chiềng Khương");
    await page.getByRole("textbox", { name: "Người chủ trì", exact: true }).fill("Nguyễn Văn A");
    await page
      .getByRole("textbox", { name: "Chức vụ người chủ trì", exact: true })
      .fill("Phó Chủ tịch UBND tỉnh");
    await page
      .getByRole("textbox", { name: "Cơ quan ban hành thông báo", exact: true })
      .fill("UBND tỉnh Sơn La");
    await page.getByRole("textbox", { name: "Mã các xã làm việc", exact: true }).fill("04222, 04219");
    await page.getByRole("button", { name: "Thêm thành viên" }).click();
    await page.getByRole("textbox", { name: "Họ tên", exact: true }).fill("Trần Thị B");
    await page.getByRole("textbox", { name: "Chức vụ", exact: true }).fill("Giám đốc");
    await page.getByRole("textbox", { name: "Cơ quan", exact: true }).fill("Sở Nông nghiệp và Môi trường");
    await page.getByRole("textbox", { name: "Số", exact: true }).fill("77");
    await page.getByRole("textbox", { name: "Ký hiệu", exact: true }).fill("TB-UBND");
    await typeDay(page, "Ngày ban hành", today);
    await page.getByRole("textbox", { name: "Người ký", exact: true }).fill("Nguyễn Văn A");
    await page
      .getByRole("textbox", { name: "Quyền hạn, chức vụ người ký (mỗi dòng một ý)", exact: true })
      .fill("KT. Chủ tịch\nPhó Chủ tịch");
    await screenshots(page, "sessions-meeting-form");
    await page.getByRole("button", { name: "Ghi cuộc họp" }).click();
    await page.getByRole("heading", { level: 1, name: meetingTitle }).waitFor();
    meetingUrl = page.url();
    await page.getByText("Số 77-TB-UBND").waitFor();
    await page.getByRole("link", { name: "Xã Mường Hung" }).waitFor();
  });

  it("adds two proposals raised at the meeting", async () => {
    const { page } = province;
    for (const [content, unit] of [
      [proposalAnswered, "Xã Chiềng Khương"],
      [proposalOther, "Xã Mường Hung"],
    ] as const) {
      await page.getByRole("button", { name: "Thêm kiến nghị" }).click();
      const form = page.getByRole("form", { name: "Thêm kiến nghị" });
      await form.getByRole("combobox", { name: "Đơn vị kiến nghị" }).click();
      await page.getByRole("option", { name: unit }).click();
      await form.getByRole("textbox", { name: "Nội dung kiến nghị", exact: true }).fill(content);
      await form.getByRole("button", { name: "Ghi kiến nghị" }).click();
      await page.getByRole("link", { name: content }).waitFor();
    }
  });

  it("adds three directions with their due dates", async () => {
    const { page } = province;
    for (const [content, due] of [
      [directionSoon, plusDays(5)],
      [directionLater, plusDays(30)],
      [directionLatest, plusDays(60)],
    ] as const) {
      await page.getByRole("button", { name: "Thêm nhiệm vụ" }).click();
      const form = page.getByRole("form", { name: "Thêm nhiệm vụ" });
      await form.getByRole("textbox", { name: "Nội dung nhiệm vụ", exact: true }).fill(content);
      await typeDay(page, "Hạn hoàn thành", due, form);
      await form.getByRole("button", { name: "Ghi nhiệm vụ" }).click();
      await page.getByRole("link", { name: content }).waitFor();
    }
    await screenshots(page, "sessions-meeting");
  });

  it("answers one proposal: assigned, drafted, then published", async () => {
    const { page } = province;
    await page.getByRole("link", { name: proposalAnswered }).click();
    await page.getByRole("heading", { level: 1, name: /Kiến nghị số/ }).waitFor();
    await page.getByRole("textbox", { name: "Cơ quan được giao", exact: true }).fill("Sở Tài chính");
    await typeDay(page, "Hạn trả lời", plusDays(20));
    await page.getByRole("button", { name: "Giao xử lý" }).click();
    await page.getByText("Đã giao xử lý").first().waitFor();
    await page.getByRole("combobox", { name: "Kết quả" }).click();
    await page.getByRole("option", { name: "Đồng ý", exact: true }).click();
    await page.getByRole("textbox", { name: "Nội dung trả lời", exact: true }).fill(answerText);
    await page.getByRole("button", { name: "Công bố trả lời" }).click();
    await page.getByRole("region", { name: "Trả lời" }).getByText(answerText).waitFor();
    await screenshots(page, "sessions-proposal");
  });
});

describe("the commune officer of Chiềng Khương on a phone", () => {
  it("sees the published answer to its proposal", async () => {
    const { page } = commune;
    await page.goto(`${baseUrl}/sessions/proposals`);
    await page.getByRole("link", { name: proposalAnswered }).click();
    await page.getByText(answerText).waitFor();
    await expect(page.getByRole("button", { name: "Công bố trả lời" }).count()).resolves.toBe(0);
  });

  it("reports progress with a photo as evidence", async () => {
    const { page } = commune;
    await page.goto(`${baseUrl}/sessions/directions`);
    await page.getByRole("link", { name: directionSoon }).click();
    await page.getByRole("heading", { level: 1, name: /Nhiệm vụ số/ }).waitFor();
    await page.getByRole("textbox", { name: "Tiến độ (%)", exact: true }).fill("40");
    await page
      .getByRole("textbox", { name: "Kết quả thực hiện", exact: true })
      .fill("Đã rà soát 12/30 hộ ở bản Huổi Một.");
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    );
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: "hien-truong.png", mimeType: "image/png", buffer: png });
    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    await page.getByRole("link", { name: "hien-truong.png" }).waitFor();
    await page.getByText("Đã rà soát 12/30 hộ ở bản Huổi Một.").waitFor();
    await screenshots(page, "sessions-direction");
  });
});

describe("the overdue list", () => {
  it("lists a direction once the clock passes its due date", async () => {
    const { page } = province;
    await page.goto(`${baseUrl}/sessions/directions?status=overdue`);
    await page.getByRole("heading", { level: 1, name: "Theo dõi nhiệm vụ" }).waitFor();
    await page.getByRole("table", { name: /Nhiệm vụ, hạn gần nhất trước/ }).waitFor();
    await expect(page.getByRole("link", { name: directionSoon }).count()).resolves.toBe(0);
    await writeFile(clockFile, plusDays(6));
    await page.reload();
    await page.getByRole("link", { name: directionSoon }).waitFor();
    await screenshots(page, "sessions-overdue");
    await rm(clockFile, { force: true });
  });

  it("shows the meeting's conclusion notice as a PDF to download", async () => {
    const { page } = province;
    await page.goto(meetingUrl);
    const href = await page.getByRole("link", { name: "Tải PDF" }).getAttribute("href");
    const response = await page.request.get(`${baseUrl}${href}`);
    expect(response.headers()["content-type"]).toBe("application/pdf");
  });
});
