// The monthly brief page in headless Chromium and `odstat brief` printing it to PDF, on the default
// city (tests/helpers/city.ts: seed 7, to 2025-12-31) with a saved naloxone plan and a meeting with
// action items. Screenshots go to test-results/screenshots/brief-*.png and the PDF to
// test-results/brief-2025-11.pdf, to be looked at (pdftoppm -png -r 60).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { REPO, TEST_LINKAGE, tempDir } from '../helpers/fixtures.ts';
import { openCity, type City } from '../helpers/city.ts';
import { launchChromium, SCREENSHOTS, signIn, type Visitor } from '../helpers/browser.ts';
import { addUser, login, type TestSession, type TestUser } from '../helpers/auth.ts';
import { pdfPages, printBrief } from '../../cli/brief.ts';
import { main } from '../../cli/main.ts';

const MONTH = '2025-11';
const TOKEN = 'brief-browser-admin-token-0123456789';
const NOW = new Date('2026-01-06T15:00:00Z');

describe('the monthly brief page and `odstat brief`', () => {
  let city: City;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let analystUser: TestUser;
  let commanderUser: TestUser;
  let analyst: TestSession;

  const open = (user: TestUser): Promise<Visitor> => signIn(browser, base, user, NOW, { width: 1200, height: 900 });

  beforeAll(async () => {
    city = await openCity();
    app = await buildApp({
      duck: city.duck,
      ops: city.ops,
      defaultJurisdiction: 'nyc',
      webRoot: join(REPO, 'dist', 'web'),
      ingest: { incomingDir: tempDir(), linkage: TEST_LINKAGE, maxRejectShare: 0.05, adminToken: TOKEN },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    analystUser = await addUser(city.ops.db, { role: 'analyst', name: 'Dana Analyst', agency: 'Health Department' });
    commanderUser = await addUser(city.ops.db, { role: 'commander', name: 'Chris Commander', agency: 'NYPD' });
    analyst = await login(app, analystUser);
    // A plan for the month after and a meeting in the month with action items, one carried over.
    const send = (url: string, payload: object, method: 'POST' | 'PATCH' = 'POST') => app.inject({ method, url, headers: analyst.headers, payload });
    expect((await send('/api/v1/plans', { kits: 5000, minimum: 100, month: '2025-12' })).statusCode).toBe(201);
    const m1 = (await send('/api/v1/meetings', { date: '2025-10-16', title: 'RxStat October', agencies: ['Health Department', 'NYPD', 'FDNY EMS'] })).json() as { id: number };
    await send(`/api/v1/meetings/${m1.id}/actions`, { ownerAgency: 'FDNY EMS', description: 'Share leave-behind naloxone numbers by station', dueDate: '2025-11-01' });
    const m2 = (await send('/api/v1/meetings', { date: '2025-11-20', title: 'RxStat November', agencies: ['Health Department', 'NYPD', 'FDNY EMS', 'OCME'] })).json() as { id: number };
    const a1 = (await send(`/api/v1/meetings/${m2.id}/actions`, { ownerAgency: 'NYPD', description: 'Restock kits in Bronx precincts', dueDate: '2025-12-01' })).json() as { id: number };
    await send(`/api/v1/meetings/${m2.id}/actions`, { ownerAgency: 'Health Department', description: 'Xylazine wound-care outreach in Hunts Point', dueDate: '2025-12-15' });
    await send(`/api/v1/meetings/${m2.id}/actions/${a1.id}`, { status: 'done' }, 'PATCH');
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await city?.close();
  });

  it('shows the analyst every section, the planted hotspot among the new ones, and the versions in the footer', async () => {
    const { page, errors } = await open(analystUser);
    await page.goto(`${base}/?view=brief&month=${MONTH}`);
    await page.waitForSelector('[data-brief-ready="true"]', { timeout: 120_000 });
    expect(await page.locator('h2').innerText()).toBe('Monthly brief — November 2025');
    // On screen the site header says synthetic; on paper the brief says it itself.
    expect(await page.locator('.synthetic-banner').isVisible()).toBe(true);
    expect(await page.locator('tr[data-indicator="deaths.any_drug"] td.current').innerText()).toMatch(/^\d[\d,]*$/);
    expect(await page.locator('.brief-map path[data-area-id]').count()).toBe(42);
    // Planted in the test city: extra EMS overdoses in area 106 from 22 Nov 2025.
    expect(await page.locator('[data-hotspots="new"] li', { hasText: 'High Bridge' }).count()).toBeGreaterThan(0);
    expect(await page.locator('[data-hotspots="new"] li').first().innerText()).toMatch(/observed against/);
    expect(await page.locator('.plan-table tbody tr').count()).toBeGreaterThan(1);
    expect(await page.locator('tr[data-action-status]').count()).toBe(3);
    expect(await page.locator('tr[data-action-status="done"]').count()).toBe(1);
    const foot = await page.locator('.brief-foot').innerText();
    expect(foot).toMatch(/Data version: \d+ files/);
    expect(foot).toMatch(/Definition versions: .*deaths\.any_drug/);
    await page.screenshot({ path: join(SCREENSHOTS, 'brief-analyst.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.views').isVisible()).toBe(false);
    expect(await page.locator('.brief .synthetic').isVisible()).toBe(true);
    // The map is drawn: areas of many sizes, not one shape wound the wrong way round the globe.
    const widths = await page.locator('.brief-map path[data-area-id]').evaluateAll((ps) => ps.map((p) => (p as SVGPathElement).getBBox().width));
    expect(Math.max(...widths)).toBeLessThan(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'brief-analyst-print.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 180_000);

  it('shows the commander hidden cells as hidden, never a small count', async () => {
    const { page, errors } = await open(commanderUser);
    await page.goto(`${base}/?view=brief&month=${MONTH}`);
    await page.waitForSelector('[data-brief-ready="true"]', { timeout: 120_000 });
    expect(await page.locator('.brief-map path[data-state="suppressed"]').count()).toBeGreaterThan(0);
    const cells = await page.locator('.brief td.num').allInnerTexts();
    for (const c of cells) expect(c).not.toMatch(/^[1-9]$/);
    expect(await page.locator('[data-hotspots] li', { hasText: 'observed against' }).count()).toBe(0);
    // No refresh for a commander.
    expect(await page.getByRole('button', { name: /Refresh/ }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'brief-commander.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 180_000);

  it('prints the brief to a PDF through headless Chromium as a service account', async () => {
    const out = join(REPO, 'test-results', `brief-${MONTH}.pdf`);
    rmSync(out, { force: true });
    const t = Date.now();
    const r = await printBrief({ base, adminToken: TOKEN, month: MONTH, out, jurisdiction: 'nyc', role: 'partner', paper: 'Letter', chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
    console.log(`odstat brief: ${r.pages} pages in ${Date.now() - t} ms`);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(r.pages).toBeGreaterThanOrEqual(1);
    expect(pdfPages(pdf)).toBe(r.pages);
    // The service session was minted against the administrator token and is in the audit log.
    const audit = await city.ops.db.selectFrom('audit_log').select(['action']).where('action', '=', 'briefs.service-session').execute();
    expect(audit.length).toBe(1);
  }, 180_000);

  it('refuses a bad month, a month without data, and a missing Chromium with clear messages', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['brief', '--month', '2025-13', '--out', 'x.pdf'])).toBe(2);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/--month "2025-13" is not a month/);
      expect(await main(['brief', '--month', MONTH])).toBe(2);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/--month and --out are required/);
      const saved = process.env.ODSTAT_CHROMIUM;
      process.env.ODSTAT_CHROMIUM = '/nonexistent/chromium';
      try {
        expect(await main(['brief', '--month', MONTH, '--out', join(tempDir(), 'b.pdf')])).toBe(1);
        expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/Chromium not found at \/nonexistent\/chromium/);
      } finally {
        if (saved === undefined) delete process.env.ODSTAT_CHROMIUM;
        else process.env.ODSTAT_CHROMIUM = saved;
      }
    } finally {
      err.mockRestore();
    }
    await expect(
      printBrief({ base, adminToken: TOKEN, month: '1999-01', out: join(tempDir(), 'none.pdf'), jurisdiction: 'nyc', role: 'partner', paper: 'Letter', chromium: '/usr/bin/chromium' }),
    ).rejects.toThrow(/no data for 1999-01/);
  }, 60_000);
});
