import { mkdir } from "node:fs/promises";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium, headless, with nothing that reaches beyond this machine. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Saves a screenshot to e2e/screenshots/ so that a person can look at what the flow saw. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

export type Viewport = { width: number; height: number };
/** The two screens every flow is looked at on: a provincial office's desktop and a commune officer's phone. */
export const desktop: Viewport = { width: 1366, height: 900 };
export const phone: Viewport = { width: 360, height: 740 };

/** A fresh browser profile (no session, no language remembered) in Vietnam, as a Vietnamese browser would be. */
export function newProfile(browser: Browser, viewport: Viewport): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
}
