import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { runIngest } from '../../ingest/run.ts';
import { mortalityAdapter } from '../../ingest/feeds/mortality.ts';
import { INGEST, openStores, REPO, tempDir, writeMortality } from '../helpers/fixtures.ts';
import { launchChromium, SCREENSHOTS } from '../helpers/browser.ts';
import { addUser, type TestUser } from '../helpers/auth.ts';

describe('the dashboard page in headless Chromium', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  const consoleErrors: string[] = [];
  let user: TestUser;

  beforeAll(async () => {
    const { duck, ops, nyc } = await openStores();
    const { file } = writeMortality(nyc, tempDir());
    await runIngest(duck, ops.db, mortalityAdapter, file, INGEST);
    app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: join(REPO, 'dist', 'web') });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    user = await addUser(ops.db, { role: 'analyst', name: 'Dana Analyst', agency: 'Health Department' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('asks who is there, refuses a wrong password, and signs in with the form', async () => {
    await page.goto(base);
    await page.waitForSelector('form input[name="email"]', { timeout: 15_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png'), fullPage: true });
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', 'not-the-password-at-all');
    await page.click('button[type="submit"]');
    await page.getByText('the email or the password is wrong').waitFor({ timeout: 10_000 });
    // The 401s of /auth/me (no one signed in yet) and of the wrong password are logged by the
    // browser; they are expected, not page errors.
    consoleErrors.length = 0;
    await page.fill('input[name="password"]', user.password);
    await page.click('button[type="submit"]');
    await page.getByText('Signed in as').waitFor({ timeout: 15_000 });
    expect(await page.locator('.session-bar').innerText()).toMatch(/Dana Analyst \(analyst, Health Department\)/);
  });

  it('draws the 42 neighborhoods, the citywide trend, and says the data are synthetic', async () => {
    await page.goto(base);
    await page.waitForSelector('path.area', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('path.area[fill]').length === 42, null, { timeout: 15_000 });
    expect(await page.locator('path.area').count()).toBe(42);
    const total = page.locator('path.trend-line.trend-total');
    await total.waitFor({ timeout: 15_000 });
    const d = await total.getAttribute('d');
    expect(d?.length ?? 0).toBeGreaterThan(50);
    // A choropleth, not a flat fill: the areas take more than one colour.
    const fills = await page.locator('path.area').evaluateAll((els) => els.map((e) => e.getAttribute('fill')));
    expect(new Set(fills).size).toBeGreaterThan(2);
    await expect(page.getByText(/synthetic/i).first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
  });

  it('overlays a neighborhood chosen on the map', async () => {
    await page.locator('path.area[data-area-id="303"]').click();
    const line = page.locator('path.trend-line.trend-area');
    await line.waitFor({ timeout: 10_000 });
    expect((await line.getAttribute('d'))?.length ?? 0).toBeGreaterThan(50);
    expect(page.url()).toMatch(/area=303/);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-east-harlem.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('signs out: the session ends and the form comes back', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('form input[name="email"]', { timeout: 15_000 });
    const res = await page.evaluate(async () => (await fetch('/api/v1/series?indicator=deaths.any_drug')).status);
    expect(res).toBe(401);
  });
});
