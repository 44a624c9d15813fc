import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { runIngest } from '../../ingest/run.ts';
import { mortalityAdapter } from '../../ingest/feeds/mortality.ts';
import { INGEST, openStores, REPO, tempDir, writeMortality } from '../helpers/fixtures.ts';
import { launchChromium, SCREENSHOTS } from '../helpers/browser.ts';

describe('the dashboard page in headless Chromium', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const { duck, ops, nyc } = await openStores();
    const { file } = writeMortality(nyc, tempDir());
    await runIngest(duck, ops.db, mortalityAdapter, file, INGEST);
    app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: join(REPO, 'dist', 'web') });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
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
});
