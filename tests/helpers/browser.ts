// The system Chromium (Debian's), driven by playwright-core. Nothing is downloaded.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestUser } from './auth.ts';
import { REPO } from './fixtures.ts';

export const SCREENSHOTS = join(REPO, 'test-results', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** A page signed in as `user` through the login form, its clock pinned, its errors collected. */
export interface Visitor {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors (the 401 of /auth/me before signing in is expected). */
  errors: string[];
}

export async function signIn(browser: Browser, base: string, user: TestUser, now: Date, viewport = { width: 1280, height: 900 }): Promise<Visitor> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  await page.clock.setFixedTime(now);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForSelector('form input[name="email"]', { timeout: 20_000 });
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', user.password);
  await page.click('button[type="submit"]');
  await page.getByText('Signed in as').waitFor({ timeout: 20_000 });
  return { context, page, errors };
}
