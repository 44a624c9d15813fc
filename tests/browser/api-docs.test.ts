// The Content-Security-Policy must let the API browser (Swagger UI at /api/docs) run: load it in
// Chromium and look for the document's title and every route, with no CSP violation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { openStores } from '../helpers/fixtures.ts';
import { launchChromium, SCREENSHOTS } from '../helpers/browser.ts';

describe('the API browser under the Content-Security-Policy', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const { duck, ops } = await openStores();
    app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: null });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('loads /api/docs and shows every route, with no CSP violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${base}/api/docs`);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.locator('.swagger-ui .info .title').getByText('ODStat API').waitFor({ timeout: 20_000 });
    for (const path of ['/api/v1/auth/login', '/api/v1/series', '/api/v1/admin/audit']) {
      await page.locator('.opblock-summary-path', { hasText: path }).first().waitFor({ timeout: 10_000 });
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'api-docs.png') });
    expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
