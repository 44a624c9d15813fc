// The naloxone planner, the meetings and presentation mode (issue 7, items 1, 2 and 4) in headless
// Chromium, as a health-department analyst, a police commander and a partner, on the default city
// (tests/helpers/city.ts: seed 7, six years to 2025-12-31): what is drawn, what is hidden and said
// to be hidden, the URL round trip, the keyboard. One server and one browser for every case.
// Screenshots: test-results/screenshots/plan-*.png, to be looked at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { REPO, tempDir } from '../helpers/fixtures.ts';
import { openCity, type City } from '../helpers/city.ts';
import { launchChromium, SCREENSHOTS, signIn, type Visitor } from '../helpers/browser.ts';
import { addUser, type TestUser } from '../helpers/auth.ts';

const NOW = new Date('2026-01-06T15:00:00Z');
type Who = 'analyst' | 'commander' | 'partner';


/**
 * A private copy of the built page: other test runs may rebuild dist/web while this one runs.
 * Copied only when every file index.html names is there (not mid-build).
 */
async function pageCopy(): Promise<string> {
  const src = join(REPO, 'dist', 'web');
  for (let tries = 0; tries < 60; tries++) {
    const html = existsSync(join(src, 'index.html')) ? readFileSync(join(src, 'index.html'), 'utf8') : '';
    const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    if (html && refs.length > 0 && refs.every((r) => existsSync(join(src, r)))) {
      const dest = tempDir('odstat-web-copy-');
      cpSync(src, dest, { recursive: true });
      if (existsSync(join(dest, 'index.html'))) return dest;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('dist/web is not built (the global setup builds it)');
}

describe('planner, meetings and presentation mode', () => {
  let city: City;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  const who = {} as Record<Who, Visitor>;
  const t0 = Date.now();
  /** The visitor, its console errors cleared: each case answers for its own. */
  const fresh = (v: Visitor) => {
    v.errors.length = 0;
    return v;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `plan-${name}.png`), fullPage: true });

  const visitor = (user: TestUser): Promise<Visitor> => signIn(browser, base, user, NOW);

  beforeAll(async () => {
    const webRoot = await pageCopy();
    city = await openCity();
    app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    const users = await Promise.all([
      addUser(city.ops.db, { role: 'analyst', name: 'Dana Analyst', agency: 'Health Department' }),
      addUser(city.ops.db, { role: 'commander', name: 'Chris Commander', agency: 'Police Department' }),
      addUser(city.ops.db, { role: 'partner', name: 'Pat Partner', agency: 'Harm Reduction Coalition' }),
    ]);
    const [a, c, p] = await Promise.all(users.map(visitor));
    Object.assign(who, { analyst: a!, commander: c!, partner: p! });
    console.log(`[planner-meetings] set up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await city?.close();
    console.log(`[planner-meetings] total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  let firstPlan = 0;
  let secondPlan = 0;

  describe('naloxone planner', () => {
    it('makes a plan as the analyst: bars, sentences, method, saved list, CSV, URL', async () => {
      const { page, errors } = fresh(who.analyst);
      await page.goto(`${base}/?view=planner&kits=5000&min=100`);
      await page.locator('[data-empty]').waitFor({ timeout: 20_000 });
      await expect(page.locator('#pl-kits').inputValue()).resolves.toBe('5000');
      await expect(page.locator('nav.views a[aria-current="page"]').innerText()).resolves.toBe('Naloxone planner');
      // Too few kits for the minimums: the server's reason, in the form.
      await page.fill('#pl-kits', '50');
      await page.locator('button.run').click();
      expect(await page.locator('[data-form-error]').innerText({ timeout: 30_000 })).toMatch(/kits \(50\) is less than the sum of the minimums \(800 = 8 units × 100\)/);
      await page.fill('#pl-kits', '5000');
      await page.locator('button.run').click();
      const plan = page.locator('article.plan');
      await plan.waitFor({ timeout: 60_000 });
      firstPlan = Number(await plan.getAttribute('data-plan-id'));
      expect(firstPlan).toBeGreaterThan(0);
      expect(new URL(page.url()).searchParams.get('plan')).toBe(String(firstPlan));

      // Eight patrol boroughs, most kits first, adding up to 5,000.
      const bars = page.locator('[data-chart="allocation"] g.bar-row');
      expect(await bars.count()).toBe(8);
      const kits = await page.locator('[data-chart="allocation"] text.value').evaluateAll((els) => els.map((e) => Number(e.textContent!.replace(/,/g, ''))));
      expect(kits.reduce((a, b) => a + b, 0)).toBe(5000);
      expect(kits).toEqual([...kits].sort((a, b) => b - a));
      expect(kits.every((k) => k >= 100)).toBe(true);
      expect(await page.locator('ol.why li').count()).toBe(8);
      expect(await page.locator('ol.why li').first().locator('.sentence').innerText()).toMatch(/kits\. Forecast need for \d{4}-\d{2} /);
      expect(await page.locator('[data-method]').innerText()).toMatch(/Holt.*α 0\.3, β 0\.1, φ 0\.9/);
      expect(await page.locator('.crosswalk').innerText()).toMatch(/approximate/i);
      expect(await page.locator('[data-hidden-note]').count()).toBe(0);
      expect(await page.locator('svg[role="img"]').getAttribute('aria-label')).toMatch(/^Naloxone kits by NYPD patrol borough/);

      // Stock for one unit, and a second plan: the unit holding stock gets less, its tick drawn.
      await page.locator('details.stock summary').click();
      const bronxBefore = kits[await page.locator('[data-chart="allocation"] g.bar-row').evaluateAll((els) => els.findIndex((e) => e.getAttribute('data-unit') === 'Bronx'))]!;
      await page.locator('input[data-stock-unit="Bronx"]').fill('800');
      await expect.poll(() => new URL(page.url()).searchParams.get('stock')).toBe('Bronx:800');
      await page.locator('button.run').click();
      await page.waitForFunction((id) => Number(document.querySelector('article.plan')?.getAttribute('data-plan-id')) > id, firstPlan, { timeout: 60_000 });
      secondPlan = Number(await plan.getAttribute('data-plan-id'));
      expect(await page.locator('[data-chart="allocation"] line.held').count()).toBe(1);
      const bronxAfter = Number((await page.locator('[data-chart="allocation"] g.bar-row[data-unit="Bronx"] text.value').textContent())!.replace(/,/g, ''));
      expect(bronxAfter).toBeLessThan(bronxBefore);
      expect(await page.locator('.saved-list li').count()).toBe(2);
      expect(await page.locator(`.saved-list a[data-plan-link="${secondPlan}"]`).getAttribute('aria-current')).toBe('true');
      await shot(page, 'planner-analyst');

      // Print (the PDF path): the plan, its chart and sentences; no form, no list.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('form.plan-form').isVisible()).toBe(false);
      expect(await page.locator('.saved').isVisible()).toBe(false);
      expect(await page.locator('article.plan').isVisible()).toBe(true);
      await shot(page, 'planner-print');
      await page.emulateMedia({ media: 'screen' });

      // The table behind the chart, and the plan's CSV from the server.
      await page.locator('[data-chart="allocation"] .table-toggle').click();
      expect(await page.locator('[data-chart="allocation"] table tbody tr').count()).toBe(8);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a.csv-plan').click()]);
      expect(download.suggestedFilename()).toBe(`odstat-plan-${secondPlan}.csv`);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.split(/\r?\n/).filter(Boolean)).toHaveLength(9);
      expect(csv).toMatch(/explanation/i);

      // An earlier plan from the list, and the URL reproduces it.
      await page.locator(`.saved-list a[data-plan-link="${firstPlan}"]`).click();
      await page.waitForSelector(`article.plan[data-plan-id="${firstPlan}"]`, { timeout: 20_000 });
      expect(new URL(page.url()).searchParams.get('plan')).toBe(String(firstPlan));
      await page.reload();
      await page.waitForSelector(`article.plan[data-plan-id="${firstPlan}"]`, { timeout: 20_000 });
      await expect(page.locator('#pl-kits').inputValue()).resolves.toBe('5000');
      await expect(page.locator('input[data-stock-unit="Bronx"]').inputValue()).resolves.toBe('800');
      // The one 400 is the refusal of 50 kits above, as expected (the console logs it).
      expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    });

    it('shows the commander the same kits with small counts hidden and says why', async () => {
      const { page, errors } = fresh(who.commander);
      await page.goto(`${base}/?view=planner&plan=${secondPlan}`);
      await page.waitForSelector(`article.plan[data-plan-id="${secondPlan}"]`, { timeout: 30_000 });
      expect(await page.locator('[data-chart="allocation"] g.bar-row').count()).toBe(8);
      expect(await page.locator('[data-hidden-note]').innerText()).toMatch(/Small counts are hidden for your role: \d+ of 16 unit counts of 2025-12/);
      expect(await page.locator('form.plan-form').count()).toBe(1); // commanders make plans
      await page.locator('[data-chart="allocation"] .table-toggle').click();
      const cells = await page.locator('[data-chart="allocation"] table tbody').innerText();
      expect(cells).toMatch(/fewer than 10|suppressed/);
      await shot(page, 'planner-commander');

      // A commander makes plans too: by neighborhood, three months ahead (not on the meetings' agendas below).
      await page.goto(`${base}/?view=planner&kits=2000&min=5&units=areas&month=2026-03`);
      await page.waitForSelector('article.plan', { timeout: 30_000 });
      await expect(page.locator('#pl-month').inputValue()).resolves.toBe('2026-03');
      await page.locator('button.run').click();
      await page.waitForSelector('article.plan [data-method]', { timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('article.plan h2')?.textContent?.includes('for 2026-03'), null, { timeout: 60_000 });
      expect(await page.locator('[data-chart="allocation"] g.bar-row').count()).toBe(42);
      const kits = await page.locator('[data-chart="allocation"] text.value').evaluateAll((els) => els.map((e) => Number(e.textContent!.replace(/,/g, ''))));
      expect(kits.reduce((a, b) => a + b, 0)).toBe(2000);
      expect(await page.locator('[data-method]').innerText()).toMatch(/\(3 months ahead\)/);
      expect(await page.locator('[data-hidden-note]').count()).toBe(1);
      await shot(page, 'planner-commander-areas');
      expect(errors).toEqual([]);
    });

    it('lets a partner read plans, not make them, and says so', async () => {
      const { page, errors } = fresh(who.partner);
      await page.goto(`${base}/?view=planner`);
      await page.waitForSelector('article.plan', { timeout: 30_000 });
      expect(await page.locator('form.plan-form').count()).toBe(0);
      expect(await page.locator('[data-role-note]').innerText()).toMatch(/partner.*may read saved plans but not make them/);
      // No plan in the URL: the newest, written into the URL.
      expect(new URL(page.url()).searchParams.get('plan')).toBe(await page.locator('.saved-list a').first().getAttribute('data-plan-link'));
      expect(await page.locator('.saved-list li').count()).toBe(3);
      await shot(page, 'planner-partner');
      expect(errors).toEqual([]);
    });
  });

  let firstMeeting = 0;
  let secondMeeting = 0;

  describe('meetings', () => {
    it('records two meetings as the analyst; the agenda is seeded and open items carry over', async () => {
      const { page, errors } = fresh(who.analyst);
      // Bring the EMS alert episodes up to date (what Hotspots does), so the agenda has signals.
      const status = await page.evaluate(async () => (await fetch('/api/v1/alerts?indicator=ems.opioid_overdose&method=essence&limit=1')).status);
      expect(status).toBe(200);

      await page.goto(`${base}/?view=meetings`);
      await page.locator('.side [data-empty]').waitFor({ timeout: 20_000 });
      await page.locator('button.new').click();
      await page.fill('#new-meeting input[name="date"]', '2025-12-02');
      await page.fill('#new-meeting input[name="title"]', 'December working group');
      await page.fill('#new-meeting textarea[name="agencies"]', 'Health Department, Police Department, EMS');
      await page.locator('#new-meeting button[type="submit"]').click();
      const meeting = page.locator('article.meeting');
      await meeting.waitFor({ timeout: 30_000 });
      firstMeeting = Number(await meeting.getAttribute('data-meeting-id'));
      expect(new URL(page.url()).searchParams.get('meeting')).toBe(String(firstMeeting));
      expect(await page.locator('[data-agencies] li').allInnerTexts()).toEqual(['Health Department', 'Police Department', 'EMS']);
      // The planted spike in 106 (22 Nov 2025) is on the agenda, with its peak counts for the analyst.
      const signals = page.locator('ol.agenda li[data-kind="signal"]');
      expect(await signals.count()).toBeGreaterThan(0);
      expect(await signals.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/High Bridge - Morrisania.*peak \d+ observed/s)]));
      expect(await page.locator('[data-hidden-note]').count()).toBe(0);

      // Two action items; one closed at this meeting.
      for (const [desc, owner, due] of [
        ['Naloxone outreach in High Bridge', 'Health Department', '2025-12-20'],
        ['Share overdose locations with precincts 44 and 46', 'Police Department', ''],
      ] as const) {
        await page.fill('form.add-action input[name="description"]', desc);
        await page.fill('form.add-action input[name="owner"]', owner);
        await page.fill('form.add-action input[name="due"]', due);
        await page.locator('form.add-action button[type="submit"]').click();
        await page.locator(`li.action[data-description="${desc}"]`).waitFor({ timeout: 20_000 });
        await page.locator('.meetings[aria-busy="false"]').waitFor({ timeout: 20_000 });
      }
      const second = page.locator('li.action[data-description^="Share overdose locations"]');
      await second.locator('select[name="status"]').selectOption('done');
      await second.locator('button[type="submit"]').click();
      await page.locator('li.action[data-status="done"]').waitFor({ timeout: 20_000 });
      await page.fill('form.notes-form textarea', 'EMS reports more repeat calls in 106.');
      await page.locator('form.notes-form button[type="submit"]').click();
      await page.locator('[role="status"]', { hasText: 'Notes saved.' }).waitFor({ timeout: 20_000 });

      // The next meeting: the open item is carried over and set apart; the closed one is not.
      await page.locator('button.new').click();
      await page.fill('#new-meeting input[name="date"]', '2025-12-30');
      await page.fill('#new-meeting textarea[name="agencies"]', 'Health Department; Medical Examiner');
      await page.locator('#new-meeting button[type="submit"]').click();
      await page.waitForFunction((id) => Number(document.querySelector('article.meeting')?.getAttribute('data-meeting-id')) > id, firstMeeting, { timeout: 30_000 });
      secondMeeting = Number(await meeting.getAttribute('data-meeting-id'));
      const carried = page.locator('li.action[data-carried="1"]');
      expect(await carried.count()).toBe(1);
      expect(await carried.innerText()).toMatch(/Carried over from 2025-12-02/);
      expect(await carried.locator('input[name="description"]').inputValue()).toBe('Naloxone outreach in High Bridge');
      expect(await carried.locator('.tag').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/overdue \(due 2025-12-20\)/)]));
      expect(await page.locator('ol.agenda li[data-kind="actions"]').innerText()).toMatch(/1 action item from earlier meetings/);
      expect(await page.locator('ol.agenda li[data-kind="plan"] a').innerText()).toMatch(/Naloxone plan \d+ for 2026-01: 5000 kits across 8 units/);
      expect(await page.locator('.side .list li').count()).toBe(2);
      await page.locator('.meetings[aria-busy="false"]').waitFor({ timeout: 20_000 });
      await shot(page, 'meetings-analyst');

      // The table behind the action items, and the URL reproduces the view.
      await page.locator('[data-chart="actions"] .table-toggle').click();
      expect(await page.locator('[data-chart="actions"] table tbody').innerText()).toMatch(/meeting of 2025-12-02 \(carried over\)/);
      await page.goto(`${base}/?view=meetings&meeting=${firstMeeting}`);
      await page.waitForSelector(`article.meeting[data-meeting-id="${firstMeeting}"]`, { timeout: 20_000 });
      await expect(page.locator('form.notes-form textarea').inputValue()).resolves.toBe('EMS reports more repeat calls in 106.');
      expect(errors).toEqual([]);
    });

    it('shows the commander the same meeting with the peak counts hidden, says why, and lets them close an item', async () => {
      const { page, errors } = fresh(who.commander);
      await page.goto(`${base}/?view=meetings&meeting=${firstMeeting}`);
      await page.waitForSelector(`article.meeting[data-meeting-id="${firstMeeting}"]`, { timeout: 20_000 });
      expect(await page.locator('[data-hidden-note]').innerText()).toMatch(/Hidden for your role \(commander\): the observed and expected counts at an alert’s peak/);
      const signals = await page.locator('ol.agenda li[data-kind="signal"]').allInnerTexts();
      expect(signals.length).toBeGreaterThan(0);
      expect(signals.join('\n')).not.toMatch(/peak \d+ observed/);
      await page.locator('.meetings[aria-busy="false"]').waitFor({ timeout: 20_000 });
      await shot(page, 'meetings-commander');

      // On the later meeting the commander closes the carried-over item.
      await page.locator(`.side a[data-meeting-link="${secondMeeting}"]`).click();
      await page.waitForSelector(`article.meeting[data-meeting-id="${secondMeeting}"]`, { timeout: 20_000 });
      const carried = page.locator('li.action[data-carried="1"]');
      await carried.locator('select[name="status"]').selectOption('done');
      await carried.locator('button[type="submit"]').click();
      await page.locator('li.action[data-carried="1"][data-status="done"]').waitFor({ timeout: 20_000 });
      expect(await page.locator('li.action[data-carried="1"] .tag').allInnerTexts()).toEqual(expect.arrayContaining(['done (2025-12-30)']));
      expect(errors).toEqual([]);
    });
  });

  describe('presentation mode', () => {
    it('shows one finding per screen, moves with the keyboard, keeps the slide in the URL and leaves with Escape', async () => {
      const { page, errors } = fresh(who.analyst);
      await page.goto(`${base}/?view=present&month=2025-12`);
      const stage = page.locator('section.present[data-state="ready"]');
      await stage.waitFor({ timeout: 30_000 });
      const n = Number(await stage.getAttribute('data-slides'));
      expect(n).toBeGreaterThanOrEqual(4);
      // The latest meeting of December (the 30th), its title slide first.
      expect(await page.locator('#slide-headline').innerText()).toBe('Overdose working group — 2025-12-30');
      expect(await page.locator('[data-announce]').innerText()).toBe(`Slide 1 of ${n}. New York City: Overdose working group — 2025-12-30.`);
      await shot(page, 'present-title');

      await page.keyboard.press('ArrowRight');
      await expect.poll(() => new URL(page.url()).searchParams.get('slide')).toBe('2');
      expect(await page.locator('[data-announce]').innerText()).toMatch(new RegExp(`^Slide 2 of ${n}\\. `));
      await page.keyboard.press('Space');
      await page.keyboard.press('PageDown');
      await expect.poll(() => page.locator('section.present').getAttribute('data-slide')).toBe('4');
      await page.keyboard.press('PageUp');
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => page.locator('section.present').getAttribute('data-slide')).toBe('2');
      await page.keyboard.press('End');
      await expect.poll(() => page.locator('section.present').getAttribute('data-slide')).toBe(String(n));
      expect(new URL(page.url()).searchParams.get('slide')).toBe(String(n));
      await page.keyboard.press('ArrowRight');
      expect(await page.locator('section.present').getAttribute('data-slide')).toBe(String(n));

      // The plan slide, and the URL opens on the slide it names.
      const kinds: string[] = [];
      await page.keyboard.press('Home');
      for (let i = 1; i <= n; i++) {
        kinds.push((await page.locator('article.slide').getAttribute('data-kind'))!);
        if (i < n) await page.keyboard.press('ArrowRight');
      }
      expect(kinds).toContain('plan');
      const planSlide = kinds.indexOf('plan') + 1;
      await page.goto(`${base}/?view=present&month=2025-12&slide=${planSlide}`);
      await page.locator('section.present[data-state="ready"]').waitFor({ timeout: 30_000 });
      expect(await page.locator('#slide-headline').innerText()).toMatch(/^5,000 kits for 2026-01 across 8 NYPD patrol boroughs$/);
      const size = await page.locator('#slide-headline').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      expect(size).toBeGreaterThanOrEqual(48);
      await shot(page, 'present-plan');

      // The Full screen button asks the browser (headless may refuse: the window-filling mode stays).
      await page.locator('.toolbar button', { hasText: 'Full screen' }).click();
      await page.locator('section.present').focus();
      if (await page.evaluate(() => document.fullscreenElement !== null)) {
        await page.evaluate(() => document.exitFullscreen());
        await page.locator('.toolbar button[aria-pressed="false"]', { hasText: 'Full screen' }).waitFor({ timeout: 5_000 });
      }
      await page.keyboard.press('Escape');
      await page.waitForSelector('article.meeting', { timeout: 20_000 });
      expect(new URL(page.url()).searchParams.get('view')).toBe('meetings');
      expect(errors).toEqual([]);
    });

    it('tells the commander that peak counts are hidden, on the slide', async () => {
      const { page, errors } = fresh(who.commander);
      await page.goto(`${base}/?view=present&meeting=${firstMeeting}`);
      const stage = page.locator('section.present[data-state="ready"]');
      await stage.waitFor({ timeout: 30_000 });
      const n = Number(await stage.getAttribute('data-slides'));
      let found = '';
      for (let i = 1; i <= n && !found; i++) {
        if ((await page.locator('article.slide').getAttribute('data-kind')) === 'signal') found = await page.locator('article.slide').innerText();
        else await page.keyboard.press('ArrowRight');
      }
      expect(found).toMatch(/Peak counts hidden for your role/);
      await shot(page, 'present-signal-commander');
      expect(errors).toEqual([]);
    });
  });
});
