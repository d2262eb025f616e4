import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { desktop, launchBrowser, newProfile, phone, screenshot, type Viewport } from "./browser.ts";

/*
 * Accounts in the browser: signing in and out, what each role is offered, managing accounts, the activity log and
 * one's own API tokens. The e2e server is shared by every e2e file of a run and its lockouts are real (5 wrong
 * passwords lock an account, 20 failures lock the address), so this file makes exactly two failed sign-ins and
 * gives every account it creates a name of its own run.
 */

const baseUrl = inject("baseUrl");
const demoPasswords = inject("demoPasswords");
const runId = Date.now().toString(36);
let serial = 0;
const uniqueName = (what: string) => `e2e.${what}.${runId}.${++serial}`;

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

/** A fresh profile per test: no session, no language remembered, nothing carried over from the test before. */
async function openPage(viewport: Viewport, path: string): Promise<Page> {
  context = await newProfile(browser, viewport);
  page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  return page;
}

afterEach(async () => {
  await context.close();
});

const passwordOf = (username: string) => demoPasswords[username] ?? "";

/** Fills the sign-in form and presses Enter, as a person would. */
async function signInWithForm(username: string, password: string): Promise<void> {
  await page.getByLabel("Tên đăng nhập").fill(username);
  const field = page.getByLabel("Mật khẩu", { exact: true });
  await field.fill(password);
  await field.press("Enter");
}

/** The header's account button, present once someone is signed in. */
const accountButton = () => page.getByRole("button", { name: /^Tài khoản: / });

/**
 * Signs in through the API in this page's cookie jar (for tests about something else than the sign-in form) and
 * returns the CSRF token that API writes of the session must send.
 */
async function signInByApi(username: string): Promise<string> {
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, {
    data: { username, password: passwordOf(username) },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

interface CreatedAccount {
  user: { id: number; username: string; version: number };
}

/** A viewer of Xã Chiềng Khương made through the API, for tests that need an account to act on. */
async function createViewerByApi(csrfToken: string): Promise<CreatedAccount["user"]> {
  const username = uniqueName("viewer");
  const response = await page.request.post(`${baseUrl}/api/v1/users`, {
    data: { username, displayName: `Người xem thử ${runId}`, role: "viewer", scopeCode: "04222" },
    headers: { "x-csrf-token": csrfToken },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as CreatedAccount).user;
}

/** The row of the accounts table that shows this sign-in name. */
const accountRow = (username: string) => page.getByRole("row").filter({ hasText: username });

describe("a commune officer signed in", () => {
  it("shows the officer's name, role and commune, Xã Chiềng Khương, in the header", async () => {
    await openPage(desktop, "/sign-in");
    await signInWithForm("chiengkhuong", passwordOf("chiengkhuong"));
    // Signed in, a person lands on their own home page ("Việc cần làm"), not the national list of provinces.
    await page.waitForURL((url) => url.pathname === "/");
    await accountButton().waitFor();
    const header = await page.getByRole("banner").textContent();
    expect(header).toContain("Cán bộ xã Chiềng Khương");
    expect(header).toContain("Cán bộ cấp xã · Xã Chiềng Khương");
    await screenshot(page, "accounts-header-signed-in-desktop");
  });

  it("is offered neither the accounts page nor the activity log in its account menu", async () => {
    await openPage(desktop, "/units");
    await signInByApi("chiengkhuong");
    await page.reload();
    await accountButton().click();
    await page.getByRole("menuitem", { name: "Tài khoản của tôi" }).waitFor();
    expect(await page.getByRole("menuitem", { name: "Tài khoản người dùng" }).count()).toBe(0);
    expect(await page.getByRole("menuitem", { name: "Nhật ký hoạt động" }).count()).toBe(0);
  });

  it("is told that the accounts page is not for their role when its address is typed", async () => {
    await openPage(desktop, "/units");
    await signInByApi("chiengkhuong");
    await page.goto(`${baseUrl}/users`);
    await page.getByRole("heading", { level: 1, name: "Không có quyền truy cập" }).waitFor();
    expect(await page.getByRole("main").textContent()).toContain("Cán bộ cấp xã");
    expect(await page.getByRole("table").count()).toBe(0);
  });

  it("is told that the activity log is not for their role when its address is typed", async () => {
    await openPage(desktop, "/units");
    await signInByApi("chiengkhuong");
    await page.goto(`${baseUrl}/audit`);
    await page.getByRole("heading", { level: 1, name: "Không có quyền truy cập" }).waitFor();
  });

  it("signs out from the account menu back to the public units pages", async () => {
    await openPage(desktop, "/units");
    await signInByApi("chiengkhuong");
    await page.goto(`${baseUrl}/account`);
    await accountButton().click();
    await page.getByRole("menuitem", { name: "Đăng xuất" }).click();
    await page.waitForURL(/\/units$/);
    await page.getByRole("link", { name: "Đăng nhập" }).waitFor();
    expect(await accountButton().count()).toBe(0);
    const me = await page.request.get(`${baseUrl}/api/v1/auth/me`);
    expect(me.status()).toBe(401);
  });
});

describe("the sign-in page", () => {
  it("answers a wrong password and an unknown sign-in name with the same message", async () => {
    await openPage(desktop, "/sign-in");
    const answer = () => page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/sign-in"));

    const wrongPassword = answer();
    await signInWithForm("chiengkhuong", `wrong-${runId}`);
    expect((await wrongPassword).status()).toBe(401);
    const afterWrongPassword = await page.getByRole("alert").textContent();

    const unknownName = answer();
    await signInWithForm(`nobody.${runId}`, `wrong-${runId}`);
    expect((await unknownName).status()).toBe(401);
    const afterUnknownName = await page.getByRole("alert").textContent();

    expect(afterWrongPassword).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    expect(afterUnknownName).toBe(afterWrongPassword);
    await screenshot(page, "accounts-sign-in-error-desktop");
  });

  it("asks to sign in for a page that needs it, and opens that page afterwards", async () => {
    await openPage(desktop, "/account");
    await page.waitForURL(/\/sign-in\?next=%2Faccount/);
    await page.getByText("Vui lòng đăng nhập để mở trang này.").waitFor();
    await screenshot(page, "accounts-sign-in-desktop");
    await signInWithForm("sonla.viewer", passwordOf("sonla.viewer"));
    await page.getByRole("heading", { level: 1, name: "Tài khoản của tôi" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/account");
  });

  it("sends someone whose session has ended to sign in again, then back to what they were doing", async () => {
    await openPage(desktop, "/units");
    await signInByApi("sonla.officer");
    await page.goto(`${baseUrl}/audit`);
    await page.getByRole("heading", { level: 1, name: "Nhật ký hoạt động" }).waitFor();
    await page.getByRole("combobox", { name: "Loại bản ghi" }).click();
    await page.getByRole("option", { name: "Tài khoản", exact: true }).click();
    // The notification bell comes after the first paint and asks the server for its count: let it settle, so that
    // the filter below is the first request to find the session gone.
    await page.getByRole("button", { name: /^Thông báo/ }).waitFor();
    await page.waitForLoadState("networkidle");
    // The server no longer knows this session, as after 2 hours idle.
    await context.addCookies([{ name: "gr_session", value: `ended-${runId}`, url: baseUrl }]);
    await page.getByRole("button", { name: "Lọc", exact: true }).click();
    await page.getByText("Phiên làm việc đã hết hạn, vui lòng đăng nhập lại").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await signInWithForm("sonla.officer", passwordOf("sonla.officer"));
    await page.getByRole("heading", { level: 1, name: "Nhật ký hoạt động" }).waitFor();
    expect(new URL(page.url()).searchParams.get("kind")).toBe("user");
  });
});

describe("a province administrator managing accounts", () => {
  it("creates a viewer of Xã Chiềng Khương, picked by typing 'chieng khuong', and shows its password once", async () => {
    await openPage(desktop, "/sign-in?next=%2Fusers");
    await signInWithForm("sonla.admin", passwordOf("sonla.admin"));
    await page.getByRole("heading", { level: 1, name: "Tài khoản người dùng" }).waitFor();
    const username = uniqueName("viewer");

    await page.getByRole("button", { name: "Tạo tài khoản" }).click();
    const dialog = page.getByRole("dialog", { name: "Tạo tài khoản" });
    await dialog.getByLabel("Tên đăng nhập").fill(username);
    await dialog.getByLabel("Tên hiển thị").fill("Người xem thử nghiệm");
    await dialog.getByRole("combobox", { name: "Vai trò" }).click();
    await page.getByRole("option", { name: "Người xem", exact: true }).click();
    await dialog.getByRole("combobox", { name: "Đơn vị" }).fill("chieng khuong");
    await page.getByRole("option", { name: /Xã Chiềng Khương/ }).click();
    await dialog.getByRole("button", { name: "Tạo tài khoản" }).click();

    const password = dialog.getByRole("textbox", { name: "Mật khẩu ban đầu", exact: true });
    await password.waitFor();
    const generated = await password.inputValue();
    expect(generated).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    expect(await dialog.textContent()).toContain("chỉ hiện một lần");
    await screenshot(page, "accounts-create-password-desktop");

    await dialog.getByRole("button", { name: "Xong" }).click();
    await accountRow(username).waitFor();
    expect(await page.getByText(generated).count()).toBe(0);
    expect(await page.getByRole("textbox", { name: "Mật khẩu ban đầu", exact: true }).count()).toBe(0);
  });

  it("lists a new account with its role, its unit and its status", async () => {
    await openPage(desktop, "/units");
    const account = await createViewerByApi(await signInByApi("sonla.admin"));
    await page.goto(`${baseUrl}/users`);
    const row = accountRow(account.username);
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain("Người xem");
    expect(text).toContain("Xã Chiềng Khương (04222)");
    expect(text).toContain("Đang hoạt động");
    await screenshot(page, "accounts-users-desktop");
  });

  it("finds an account by part of its sign-in name", async () => {
    await openPage(desktop, "/units");
    const account = await createViewerByApi(await signInByApi("sonla.admin"));
    await page.goto(`${baseUrl}/users`);
    await page.getByText(/^\d+ tài khoản$/).waitFor();
    await page.getByRole("searchbox", { name: "Tìm tài khoản" }).fill(account.username);
    await page.getByText("1 tài khoản", { exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe(account.username);
    expect(await page.getByRole("row").count()).toBe(2);
    expect(await accountRow(account.username).count()).toBe(1);
  });

  it("disables an account from its edit dialog", async () => {
    await openPage(desktop, "/units");
    const account = await createViewerByApi(await signInByApi("sonla.admin"));
    await page.goto(`${baseUrl}/users`);
    await page.getByRole("button", { name: `Sửa tài khoản ${account.username}` }).click();
    const dialog = page.getByRole("dialog", { name: `Sửa tài khoản ${account.username}` });
    await dialog.getByRole("checkbox", { name: "Vô hiệu hoá tài khoản" }).check();
    await dialog.getByLabel("Lý do thay đổi").fill("Thử nghiệm tự động");
    await dialog.getByRole("button", { name: "Lưu thay đổi" }).click();
    await dialog.waitFor({ state: "hidden" });
    await accountRow(account.username).filter({ hasText: "Đã vô hiệu hoá" }).waitFor();
  });

  it("shows someone else's newer change beside the form when both edit the same account", async () => {
    await openPage(desktop, "/units");
    const csrfToken = await signInByApi("sonla.admin");
    const account = await createViewerByApi(csrfToken);
    await page.goto(`${baseUrl}/users`);
    await page.getByRole("button", { name: `Sửa tài khoản ${account.username}` }).click();
    const dialog = page.getByRole("dialog", { name: `Sửa tài khoản ${account.username}` });
    await dialog.getByLabel("Tên hiển thị").fill("Tên của tôi");
    // Meanwhile another administrator renames the account.
    const other = await page.request.patch(`${baseUrl}/api/v1/users/${account.id}`, {
      data: { version: account.version, displayName: "Tên của người khác" },
      headers: { "x-csrf-token": csrfToken },
    });
    expect(other.status()).toBe(200);
    await dialog.getByRole("button", { name: "Lưu thay đổi" }).click();
    const notice = dialog.getByRole("alert").filter({ hasText: "Người khác vừa thay đổi tài khoản này" });
    await notice.waitFor();
    expect(await notice.getByRole("row", { name: /Tên hiển thị/ }).textContent()).toMatch(
      /Tên của người khác.*Tên của tôi/,
    );
    await dialog.getByRole("button", { name: "Lưu thay đổi" }).click();
    await dialog.waitFor({ state: "hidden" });
    await accountRow(account.username).filter({ hasText: "Tên của tôi" }).waitFor();
  });

  it("shows the creation and the disabling of an account in the activity log, with what changed", async () => {
    await openPage(desktop, "/units");
    const csrfToken = await signInByApi("sonla.admin");
    const account = await createViewerByApi(csrfToken);
    const disabled = await page.request.patch(`${baseUrl}/api/v1/users/${account.id}`, {
      data: { version: account.version, isDisabled: true },
      headers: { "x-csrf-token": csrfToken },
    });
    expect(disabled.status()).toBe(200);
    await page.goto(`${baseUrl}/units`);
    await accountButton().click();
    await page.getByRole("menuitem", { name: "Nhật ký hoạt động" }).click();
    await page.getByRole("heading", { level: 1, name: "Nhật ký hoạt động" }).waitFor();

    const record = new RegExp(`Tài khoản số ${account.id}(?!\\d)`);
    const created = page.getByRole("row").filter({ hasText: "Tạo tài khoản" }).filter({ hasText: record });
    const disabling = page
      .getByRole("row")
      .filter({ hasText: "Vô hiệu hoá tài khoản" })
      .filter({ hasText: record });
    await disabling.waitFor();
    await created.getByRole("button", { name: "Xem thay đổi" }).click();
    const changes = page.getByRole("table", { name: /^Thay đổi của sự kiện \d+: Tạo tài khoản$/ });
    expect(await changes.textContent()).toContain(account.username);
    await disabling.getByRole("button", { name: "Xem thay đổi" }).click();
    const disabledChanges = page.getByRole("table", {
      name: /^Thay đổi của sự kiện \d+: Vô hiệu hoá tài khoản$/,
    });
    expect(await disabledChanges.getByRole("row", { name: /Vô hiệu hoá/ }).textContent()).toMatch(
      /Không.*Có/,
    );
    await screenshot(page, "accounts-audit-desktop");
  });
});

describe("my account", () => {
  it("creates an API token and shows its secret only until it is put away", async () => {
    await openPage(desktop, "/units");
    await signInByApi("sonla.officer");
    await page.goto(`${baseUrl}/account`);
    const name = uniqueName("token");
    await page.getByLabel("Tên mã").fill(name);
    await page.getByLabel("Số ngày hiệu lực").fill("30");
    await page.getByRole("button", { name: "Tạo mã" }).click();
    const secretField = page.getByRole("textbox", { name: "Mã truy cập" });
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^grt_/);
    const row = page.getByRole("row").filter({ hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${secret.slice(0, 10)}…`);
    await screenshot(page, "accounts-my-account-desktop");

    await page.getByRole("button", { name: "Tôi đã chép mã, ẩn đi" }).click();
    await secretField.waitFor({ state: "detached" });
    expect(await page.getByText(secret).count()).toBe(0);
  });

  it("revokes an API token once the revocation is confirmed", async () => {
    await openPage(desktop, "/units");
    const csrfToken = await signInByApi("sonla.officer");
    const name = uniqueName("token");
    const created = await page.request.post(`${baseUrl}/api/v1/tokens`, {
      data: { name },
      headers: { "x-csrf-token": csrfToken },
    });
    expect(created.status()).toBe(201);
    await page.goto(`${baseUrl}/account`);
    await page.getByRole("button", { name: `Thu hồi mã ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Thu hồi mã “${name}”?` });
    await dialog.getByRole("button", { name: "Thu hồi mã" }).click();
    await page.getByRole("row").filter({ hasText: name }).filter({ hasText: "Đã thu hồi" }).waitFor();
    expect(await page.getByRole("button", { name: `Thu hồi mã ${name}` }).count()).toBe(0);
  });

  it("says in Vietnamese why a new password is too weak", async () => {
    await openPage(desktop, "/units");
    await signInByApi("sonla.viewer");
    await page.goto(`${baseUrl}/account`);
    await page.getByLabel("Mật khẩu hiện tại", { exact: true }).fill(passwordOf("sonla.viewer"));
    await page.getByLabel("Mật khẩu mới", { exact: true }).fill("ngan");
    await page.getByLabel("Nhập lại mật khẩu mới", { exact: true }).fill("ngan");
    await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await page.getByText("Mật khẩu chưa đủ mạnh: cần ít nhất 10 ký tự.").waitFor();
  });
});

describe("on a 360 px phone", () => {
  it("shows the sign-in page without sideways scrolling", async () => {
    await openPage(phone, "/sign-in");
    await page.getByRole("heading", { level: 1, name: "Đăng nhập" }).waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      phone.width,
    );
    await screenshot(page, "accounts-sign-in-phone");
  });

  it.each([
    ["accounts-users-phone", "/users", "Tài khoản người dùng"],
    ["accounts-audit-phone", "/audit", "Nhật ký hoạt động"],
    ["accounts-my-account-phone", "/account", "Tài khoản của tôi"],
  ])("shows %s without sideways scrolling", async (name, path, heading) => {
    await openPage(phone, "/units");
    await signInByApi("sonla.admin");
    await page.goto(`${baseUrl}${path}`);
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    // Loaded: a table, or the sentence that says there is nothing to list yet.
    await page.getByRole("table").or(page.getByText("Bạn chưa có mã truy cập API nào.")).first().waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      phone.width,
    );
    await screenshot(page, name);
  });

  it("shows the generated password of a new account in a dialog that fits the phone", async () => {
    await openPage(phone, "/units");
    await signInByApi("sonla.admin");
    await page.goto(`${baseUrl}/users`);
    await page.getByRole("button", { name: "Tạo tài khoản" }).click();
    const dialog = page.getByRole("dialog", { name: "Tạo tài khoản" });
    await dialog.getByLabel("Tên đăng nhập").fill(uniqueName("phone"));
    await dialog.getByLabel("Tên hiển thị").fill("Cán bộ xã thử nghiệm");
    await dialog.getByRole("combobox", { name: "Vai trò" }).click();
    await page.getByRole("option", { name: "Cán bộ cấp xã", exact: true }).click();
    await dialog.getByRole("combobox", { name: "Đơn vị" }).fill("chieng khuong");
    await page.getByRole("option", { name: /Xã Chiềng Khương/ }).click();
    await dialog.getByRole("button", { name: "Tạo tài khoản" }).click();
    await dialog.getByRole("textbox", { name: "Mật khẩu ban đầu", exact: true }).waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      phone.width,
    );
    await screenshot(page, "accounts-create-password-phone");
  });

  it("shows who is signed in from the header's account menu", async () => {
    await openPage(phone, "/units");
    await signInByApi("chiengkhuong");
    await page.reload();
    await accountButton().click();
    const menu = page.getByRole("menu");
    await menu.getByRole("menuitem", { name: "Đăng xuất" }).waitFor();
    expect(await menu.textContent()).toContain("Xã Chiềng Khương");
    await screenshot(page, "accounts-header-menu-phone");
  });
});
