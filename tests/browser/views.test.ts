// Every view of the page in headless Chromium, as a health-department analyst and as a police
// commander, on the default city with every feed (tests/helpers/city.ts: seed 7, six years to
// 2025-12-31): what is drawn, what is hidden and said to be hidden, the URL round trip, and the
// keyboard. Screenshots go to test-results/screenshots/views-*.png, to be looked at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { REPO } from '../helpers/fixtures.ts';
import { openCity, type City } from '../helpers/city.ts';
import { launchChromium, SCREENSHOTS, signIn, type Visitor } from '../helpers/browser.ts';
import { addUser, type TestUser } from '../helpers/auth.ts';

// The page judges freshness against its own clock: pin it a few days after the data end.
const NOW = new Date('2026-01-06T15:00:00Z');


describe('the views as an analyst and as a commander', () => {
  let city: City;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  const who: Record<'analyst' | 'commander', Visitor> = {} as never;

  const visitor = (user: TestUser): Promise<Visitor> => signIn(browser, base, user, NOW);

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `views-${name}.png`), fullPage: true });

  beforeAll(async () => {
    city = await openCity();
    app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: join(REPO, 'dist', 'web') });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    const analyst = await addUser(city.ops.db, { role: 'analyst', name: 'Dana Analyst', agency: 'Health Department' });
    const commander = await addUser(city.ops.db, { role: 'commander', name: 'Chris Commander', agency: 'Police Department' });
    who.analyst = await visitor(analyst);
    who.commander = await visitor(commander);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await city?.close();
  });

  describe('data status', () => {
    for (const role of ['analyst', 'commander'] as const) {
      it(`shows each feed's freshness, rejects and records with no area (${role})`, async () => {
        const { page, errors } = who[role];
        await page.goto(`${base}/?view=status`);
        await page.waitForSelector('.feed-card', { timeout: 20_000 });
        const feeds = await page.locator('.feed-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-feed')));
        expect(feeds.sort()).toEqual(['arrests', 'drugcheck', 'ems', 'mortality', 'naloxone', 'treatment']);
        // Data end 2025-12-31, page clock 2026-01-06: EMS (14 days) is current.
        await expect(page.locator('.feed-card[data-feed="ems"] .badge').innerText()).resolves.toBe('Current');
        expect(await page.locator('[data-chart="rejects"] li[data-reason]').count()).toBeGreaterThan(5);
        expect(await page.locator('[data-chart="unassigned"] li[data-feed="ems"] .bar-value').innerText()).toMatch(/^[\d,]+ \(\d/);
        expect(await page.locator('.synthetic-banner').isVisible()).toBe(true);
        await expect(page.locator('nav.views a[aria-current="page"]').innerText()).resolves.toBe('Data status');
        await shot(page, `status-${role}`);

        // The table behind the cards, and its CSV.
        await page.locator('[data-chart="feeds"] .table-toggle').click();
        expect(await page.locator('[data-chart="feeds"] table tbody tr').count()).toBe(6);
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-chart="feeds"] .csv-download').click()]);
        expect(download.suggestedFilename()).toBe('feeds.csv');
        expect(errors).toEqual([]);
      });
    }

    it('is reached from the overview with the keyboard, and Back returns', async () => {
      const { page } = who.analyst;
      await page.goto(base);
      await page.waitForSelector('path.area', { timeout: 20_000 });
      const link = page.locator('nav.views a[data-view="status"]');
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('.feed-card', { timeout: 20_000 });
      expect(new URL(page.url()).searchParams.get('view')).toBe('status');
      await page.goBack();
      await page.waitForSelector('path.area', { timeout: 20_000 });
      expect(new URL(page.url()).searchParams.get('view')).toBeNull();
    });
  });

  describe('hotspots', () => {
    // Planted in the test city (manifest cluster-4): extra EMS overdoses in area 106 from 22 Nov 2025;
    // ESSENCE turns red on its first two days (13 and 17 against about 2.5 expected).
    const URL_106 = '?view=hotspots&indicator=ems.opioid_overdose&method=essence&date=2025-11-26&window=7';

    it('ranks the planted spike red, explains it with counts, and lets the analyst acknowledge it', async () => {
      const { page, errors } = who.analyst;
      await page.goto(`${base}/${URL_106}`);
      const spot = page.locator('button.hotspot[data-area-id="106"]');
      await spot.waitFor({ timeout: 60_000 });
      expect(await spot.locator('[data-level]').getAttribute('data-level')).toBe('red');
      // Ranked: red ones first, and 106 among them.
      const levels = await page.locator('button.hotspot [data-level]').evaluateAll((els) => els.map((e) => e.getAttribute('data-level')));
      expect(levels.indexOf('yellow') === -1 || levels.lastIndexOf('red') < levels.indexOf('yellow')).toBe(true);
      expect(await page.locator('[data-hidden-note]').count()).toBe(0);
      expect(await spot.innerText()).toMatch(/observed \d+ against [\d.]+ expected/);

      // The space–time scan finds the planted cluster, ranked first and explained.
      const cluster = page.locator('[data-chart="clusters"] li.cluster[data-center="106"]');
      await cluster.waitFor({ timeout: 60_000 });
      expect(await cluster.getAttribute('data-cluster')).toBe('1');
      expect(await cluster.innerText()).toMatch(/High Bridge - Morrisania[\s\S]*\(\d+ days?\): observed \d+ against [\d.]+ expected \(relative risk [\d.]+\); p 0\.001/);
      expect(await page.locator('[data-cluster-hidden-note]').count()).toBe(0);
      expect(await spot.locator('.in-cluster').innerText()).toBe('cluster 1');

      await spot.click();
      const explain = page.locator('.explain[data-area-id="106"]');
      await explain.waitFor({ timeout: 10_000 });
      expect(new URL(page.url()).searchParams.get('area')).toBe('106');
      expect(await explain.locator('.signal-chart rect.bar').count()).toBe(7);
      expect(await explain.locator('.signal-chart path.expected').count()).toBe(1);
      await explain.locator('.agree li').first().waitFor({ timeout: 60_000 });
      await explain.locator('table.dc tbody tr').first().waitFor({ timeout: 30_000 });
      expect(await explain.locator('[data-cluster-line]').innerText()).toMatch(/^In cluster 1: High Bridge - Morrisania, .*p 0\.001/);
      expect(await explain.locator('[data-agree-summary]').innerText()).toMatch(/^(None of the \d+ other feeds signals here|\d+ of \d+ other feeds signal here)/);
      expect(await explain.locator('.agree li').first().innerText()).toMatch(/(rose too — (red|yellow) on \d{4}-\d{2}-\d{2}|no signal in the period)/);
      expect(await explain.locator('[data-dc-summary]').innerText()).toMatch(/^Nov 2025: samples tested \d+, fentanyl found \d+/);

      // Acknowledge with a note (stored in Postgres), from the episode in the explanation.
      await explain.locator('li.alert').first().waitFor({ timeout: 30_000 });
      // Acknowledged episodes sort after open ones: follow this one by its id.
      const alertId = await explain.locator('li.alert').first().getAttribute('data-alert-id');
      const alert = explain.locator(`li.alert[data-alert-id="${alertId}"]`);
      await alert.locator('button.ack-open').click();
      await alert.locator('textarea[name="note"]').fill('Naloxone outreach sent to 106 on 1 Dec.');
      await alert.locator('button[type="submit"]').click();
      await alert.locator('.ack-mark').waitFor({ timeout: 10_000 });
      expect(await alert.locator('.note').innerText()).toBe('Naloxone outreach sent to 106 on 1 Dec.');
      await shot(page, 'hotspots-analyst');

      // The URL reproduces the view.
      await page.reload();
      await page.locator('.explain[data-area-id="106"]').waitFor({ timeout: 60_000 });
      await expect(page.locator('#hs-window').inputValue()).resolves.toBe('7');
      await expect(page.locator('#hs-date').inputValue()).resolves.toBe('2025-11-26');
      // The note came back from Postgres, not from the page's memory.
      await page.locator(`.explain li.alert[data-alert-id="${alertId}"] .note`).waitFor({ timeout: 30_000 });
      expect(await page.locator(`.explain li.alert[data-alert-id="${alertId}"] .note`).innerText()).toBe('Naloxone outreach sent to 106 on 1 Dec.');
      expect(errors).toEqual([]);
    });

    it('moves through the ranked list with the arrow keys and selects with Enter', async () => {
      const { page } = who.analyst;
      await page.goto(`${base}/${URL_106}`);
      const first = page.locator('button.hotspot').first();
      await first.waitFor({ timeout: 60_000 });
      const second = await page.locator('button.hotspot').nth(1).getAttribute('data-area-id');
      await first.focus();
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-area-id'))).toBe(second);
      await page.keyboard.press('Enter');
      await page.locator(`.explain[data-area-id="${second}"]`).waitFor({ timeout: 10_000 });
      expect(new URL(page.url()).searchParams.get('area')).toBe(second);
    });

    it('shows the commander where and how strongly, says why the counts are hidden, and offers no acknowledging', async () => {
      const { page, errors } = who.commander;
      await page.goto(`${base}/${URL_106}&area=106`);
      const spot = page.locator('button.hotspot[data-area-id="106"]');
      await spot.waitFor({ timeout: 60_000 });
      expect(await spot.locator('[data-level]').getAttribute('data-level')).toBe('red');
      const note = await page.locator('[data-hidden-note]').innerText();
      expect(note).toMatch(/hidden for your role \(commander\)/);
      expect(await spot.innerText()).toMatch(/observed count hidden/);
      expect(await spot.innerText()).not.toMatch(/against [\d.]+ expected/);
      // The cluster is shown with where, when and p; its counts are hidden, and the page says why.
      const cluster = page.locator('[data-chart="clusters"] li.cluster[data-center="106"]');
      await cluster.waitFor({ timeout: 60_000 });
      expect(await cluster.innerText()).toMatch(/counts hidden for your role; relative risk [\d.]+; p 0\.001/);
      expect(await page.locator('[data-cluster-hidden-note]').innerText()).toMatch(/served counts only by whole months/);
      const explain = page.locator('.explain[data-area-id="106"]');
      await explain.waitFor({ timeout: 10_000 });
      expect(await explain.locator('.signal-chart path.expected').count()).toBe(0);
      const alert = explain.locator('li.alert', { has: page.locator('.ack-mark') }).first();
      await alert.waitFor({ timeout: 30_000 });
      expect(await page.locator('.ack-form, button.ack-open').count()).toBe(0);
      // The analyst's note reaches the working group.
      expect(await alert.locator('.note').innerText()).toBe('Naloxone outreach sent to 106 on 1 Dec.');
      expect(await alert.innerText()).toMatch(/counts hidden for your role/);
      await explain.locator('.agree li').first().waitFor({ timeout: 60_000 });
      await shot(page, 'hotspots-commander');
      expect(errors).toEqual([]);
    });
  });

  describe('neighborhood profile', () => {
    it('draws every feed for one area against the city, with the age-adjusted rate and rank (analyst)', async () => {
      const { page, errors } = who.analyst;
      await page.goto(`${base}/?view=profile&area=303`);
      await page.locator('[data-rank-text]').waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-rank-text]').innerText()).toMatch(/^Rank \d+ of 42$/);
      expect(await page.locator('#profile-heading').innerText()).toBe('East Harlem');
      for (const sec of ['deaths', 'ems', 'arrests', 'treatment', 'drugcheck']) expect(await page.locator(`[data-section="${sec}"]`).count()).toBe(1);
      await page.waitForFunction(() => document.querySelectorAll('.multiple .small-trend path.area').length >= 14, null, { timeout: 60_000 });
      const ds = await page.locator('.multiple path.area').evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''));
      expect(ds.filter((d) => d.length > 20).length).toBeGreaterThanOrEqual(12);
      expect(await page.locator('.hidden-note').count()).toBe(0);
      expect(await page.locator('rect.hidden-mark').count()).toBe(0);
      await page.locator('table.perf tbody tr').first().waitFor({ timeout: 60_000 });
      await shot(page, 'profile-analyst');

      // The table behind one small chart.
      const frame = page.locator('[data-indicator="deaths.opioid"]');
      await frame.locator('.table-toggle').click();
      expect(await frame.locator('tbody tr').count()).toBeGreaterThanOrEqual(12);

      // URL round trip: the interval chosen survives a reload.
      await page.selectOption('#pf-interval', 'year');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('interval') === 'year');
      await page.reload();
      await page.locator('[data-rank-text]').waitFor({ timeout: 60_000 });
      await expect(page.locator('#pf-interval').inputValue()).resolves.toBe('year');
      await expect(page.locator('#pf-area').inputValue()).resolves.toBe('303');
      expect(errors).toEqual([]);
    });

    it('opens from the map’s selected neighborhood with the keyboard', async () => {
      const { page } = who.analyst;
      await page.goto(`${base}/?area=303`);
      const link = page.locator('a.profile-link');
      await link.waitFor({ timeout: 30_000 });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.locator('#profile-heading').waitFor({ timeout: 30_000 });
      const u = new URL(page.url());
      expect([u.searchParams.get('view'), u.searchParams.get('area')]).toEqual(['profile', '303']);
    });

    it('marks what is hidden for a commander and never draws it as zero', async () => {
      const { page, errors } = who.commander;
      await page.goto(`${base}/?view=profile&area=303`);
      await page.locator('#profile-heading').waitFor({ timeout: 60_000 });
      await page.locator('.hidden-note').waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => document.querySelectorAll('rect.hidden-mark').length > 0, null, { timeout: 60_000 });
      // Xylazine deaths in one neighborhood by quarter are small counts: hidden, said so.
      const xyl = page.locator('[data-indicator="deaths.xylazine"]');
      await xyl.locator('.latest').waitFor({ timeout: 60_000 });
      expect(await xyl.locator('.latest').innerText()).toMatch(/hidden/);
      await xyl.locator('.table-toggle').click();
      expect(await xyl.locator('tbody').innerText()).toMatch(/hidden/);
      await xyl.locator('.table-toggle').click();
      await page.locator('.key-figure p.figure').waitFor({ timeout: 60_000 });
      await page.locator('table.perf tbody tr').first().waitFor({ timeout: 60_000 });
      await shot(page, 'profile-commander');
      expect(errors).toEqual([]);
    });
  });

  describe('drug supply', () => {
    const firstDrugcheck = (substance: string) => city.manifest.supplyChanges.find((c) => c.feed === 'drugcheck' && c.substance === substance)?.firstSeen;

    it('draws each substance’s share with its interval and dates first appearances to the day (analyst)', async () => {
      const { page, errors } = who.analyst;
      await page.goto(`${base}/?view=supply&years=5`);
      await page.waitForFunction(() => document.querySelectorAll('figure.multiple path.line').length === 6, null, { timeout: 60_000 });
      const ids = await page.locator('figure.multiple').evaluateAll((els) => els.map((e) => e.getAttribute('data-substance')));
      expect(ids).toEqual(['drugcheck.fentanyl_positive', 'drugcheck.xylazine_positive', 'drugcheck.medetomidine_positive', 'fentanyl_analogue', 'nitazene', 'benzodiazepine']);
      expect((await page.locator('figure[data-substance="drugcheck.fentanyl_positive"] path.band').getAttribute('d'))?.length ?? 0).toBeGreaterThan(100);
      expect(await page.locator('.hidden-note').count()).toBe(0);
      // The planted first appearances of the generator's manifest, found in the data, to the day.
      const list = await page.locator('[data-chart="first-seen"] .all-substances').innerText();
      for (const s of ['isotonitazene', 'medetomidine', 'xylazine']) expect(list).toContain(`${s} ${firstDrugcheck(s)}`);
      await page.locator('[data-chart="concentration"] path.line').waitFor({ timeout: 30_000 });
      await shot(page, 'supply-analyst');

      await page.selectOption('#ds-years', '2');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('years') === '2');
      await page.reload();
      await page.waitForFunction(() => document.querySelectorAll('figure.multiple path.line').length === 6, null, { timeout: 60_000 });
      await expect(page.locator('#ds-years').inputValue()).resolves.toBe('2');
      expect(errors).toEqual([]);
    });

    it('gives a commander months, not days, marks hidden months, and hides them in the CSV too', async () => {
      const { page, errors } = who.commander;
      await page.goto(`${base}/?view=supply&years=5`);
      await page.waitForFunction(() => document.querySelectorAll('figure.multiple').length === 6, null, { timeout: 60_000 });
      await page.locator('.hidden-note').waitFor({ timeout: 30_000 });
      expect(await page.locator('rect.hidden-mark').count()).toBeGreaterThan(0);
      const list = await page.locator('[data-chart="first-seen"] .all-substances').innerText();
      expect(list).toContain(`isotonitazene ${firstDrugcheck('isotonitazene')!.slice(0, 7)}`);
      expect(list).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(await page.locator('[data-chart="first-seen"]').innerText()).toMatch(/Sample counts and exact days are not shown for your role/);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-chart="prevalence"] .csv-download').click()]);
      const { readFileSync } = await import('node:fs');
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.split('\r\n')[0]).toBe('Substance,Month,Samples positive,Samples tested,Share,95% lower,95% upper');
      expect(csv).toMatch(/,hidden,/);
      await shot(page, 'supply-commander');
      expect(errors).toEqual([]);
    });
  });

  describe('overview', () => {
    it('tells zero, hidden and no data apart for a commander, on the map and in its legend', async () => {
      const { page, errors } = who.commander;
      await page.goto(`${base}/?indicator=deaths.xylazine&measure=count&interval=month&period=2025-11-01`);
      await page.waitForFunction(() => document.querySelectorAll('path.area').length === 42, null, { timeout: 60_000 });
      const states = await page.locator('path.area').evaluateAll((els) => els.map((e) => [e.getAttribute('data-state'), e.getAttribute('fill')]));
      const hidden = states.filter(([s]) => s === 'suppressed');
      expect(hidden.length).toBeGreaterThan(0);
      expect(new Set(hidden.map(([, f]) => f))).toEqual(new Set(['url(#odstat-suppressed)']));
      for (const [s, f] of states) if (s === 'zero') expect(f).toBe('#dfe7ef');
      expect(await page.locator('[data-legend="suppressed"]').innerText()).toMatch(/Hidden for your role/);
      expect(await page.locator('[data-legend="zero"]').innerText()).toMatch(/^0/);
      expect(await page.locator('path.area[data-state="suppressed"]').first().getAttribute('aria-label')).toMatch(/hidden for your role/i);
      // The table behind the map says "hidden", never a blank or 0.
      await page.locator('[data-chart="map"] .table-toggle').click();
      const rows = await page.locator('[data-chart="map"] tbody tr').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      expect(rows).toHaveLength(42);
      expect(rows.filter((r) => r.includes('hidden')).length).toBe(hidden.length);
      await page.locator('[data-chart="map"] .table-toggle').click();
      await shot(page, 'overview-commander');
      expect(errors).toEqual([]);
    });

    it('says when most of the map is hidden for a commander, and offers the interval that hides fewer', async () => {
      const { page, errors } = who.commander;
      await page.goto(`${base}/?indicator=deaths.opioid&measure=count&interval=month&period=2025-11-01`);
      await page.waitForFunction(() => document.querySelectorAll('path.area').length === 42, null, { timeout: 60_000 });
      const hiddenNow = () => page.locator('path.area[data-state="suppressed"]').count();
      const monthly = await hiddenNow();
      expect(monthly).toBeGreaterThan(21);
      const hint = page.locator('[data-hidden-hint]');
      expect(await hint.innerText()).toMatch(new RegExp(`^${monthly} of 42 neighborhoods are hidden for your role at monthly detail`));
      await hint.getByRole('button', { name: 'Show by quarter' }).click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('interval') === 'quarter');
      await page.waitForFunction((m) => document.querySelectorAll('path.area[data-state="suppressed"]').length < m, monthly, { timeout: 30_000 });
      const quarterly = await hiddenNow();
      if (quarterly * 2 > 42) expect(await hint.innerText()).toMatch(/at quarterly detail/);
      else expect(await hint.count()).toBe(0);
      await shot(page, 'overview-commander-hint');
      // An analyst sees every count: no such note.
      await who.analyst.page.goto(`${base}/?indicator=deaths.opioid&measure=count&interval=month&period=2025-11-01`);
      await who.analyst.page.waitForFunction(() => document.querySelectorAll('path.area').length === 42, null, { timeout: 60_000 });
      expect(await who.analyst.page.locator('[data-hidden-hint]').count()).toBe(0);
      expect(errors).toEqual([]);
    });

    it('keeps the view in the URL, plays through periods, and selects an area with the keyboard (analyst)', async () => {
      const { page, errors } = who.analyst;
      await page.goto(`${base}/?indicator=deaths.opioid&measure=count&interval=quarter&period=2024-04-01`);
      await page.waitForFunction(() => document.querySelectorAll('path.area').length === 42, null, { timeout: 60_000 });
      await expect(page.locator('#period-label').innerText()).resolves.toBe('2024 Q2');
      expect(await page.locator('[data-legend="suppressed"]').count()).toBe(0);
      expect(await page.locator('[data-legend="zero"]').count()).toBe(1);
      // Keyboard: Tab onto a neighborhood, Enter selects it; the URL says so.
      await page.locator('path.area[data-area-id="303"]').focus();
      await page.keyboard.press('Enter');
      await page.locator('path.trend-line.trend-area').waitFor({ timeout: 10_000 });
      expect(new URL(page.url()).searchParams.get('area')).toBe('303');
      // Reload: the same indicator, measure, interval, period and area.
      await page.reload();
      await page.locator('path.trend-line.trend-area').waitFor({ timeout: 60_000 });
      const q = new URL(page.url()).searchParams;
      expect([q.get('indicator'), q.get('measure'), q.get('interval'), q.get('period'), q.get('area')]).toEqual(['deaths.opioid', 'count', 'quarter', '2024-04-01', '303']);
      await expect(page.locator('#indicator').inputValue()).resolves.toBe('deaths.opioid');
      // Play moves the slider on; pause stops it.
      await page.locator('button.play').click();
      await page.waitForFunction(() => document.querySelector('#period-label')?.textContent !== '2024 Q2', null, { timeout: 5_000 });
      await page.locator('button.play').click();
      // The trend's table and its CSV.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-chart="trend"] .csv-download').click()]);
      const { readFileSync } = await import('node:fs');
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.split('\r\n')[0]).toBe('Period,Start,New York City,East Harlem');
      await shot(page, 'overview-analyst');
      expect(errors).toEqual([]);
    });

    it('draws the age-adjusted rate for a commander, hidden rates as hidden, with interval and reliability on focus', async () => {
      const { page, errors } = who.commander;
      await page.goto(`${base}/?indicator=deaths.any_drug&measure=adjusted&interval=quarter&period=2025-07-01`);
      await page.waitForFunction(() => document.querySelector('.legend-title')?.textContent?.startsWith('Age-adjusted'), null, { timeout: 60_000 });
      expect(await page.locator('path.area').count()).toBe(42);
      const states = await page.locator('path.area').evaluateAll((els) => els.map((e) => [e.getAttribute('data-state'), e.getAttribute('fill')]));
      const hidden = states.filter(([st]) => st === 'suppressed');
      expect(hidden.length).toBeGreaterThan(0);
      expect(new Set(hidden.map(([, f]) => f))).toEqual(new Set(['url(#odstat-suppressed)']));
      expect(states.filter(([st]) => st === 'shown').length).toBeGreaterThan(0);
      expect(await page.locator('[data-legend="suppressed"]').innerText()).toMatch(/Hidden for your role/);
      expect(await page.locator('[data-legend="zero"]').count()).toBe(1);
      expect(await page.locator('[data-legend="missing"]').count()).toBe(1);
      expect(await page.locator('[data-legend="unreliable"]').innerText()).toMatch(/rest on fewer than 20 deaths: unreliable/);
      // Keyboard focus shows the tooltip: a hidden area says so; an unreliable rate gives its interval.
      await page.locator('path.area[data-state="suppressed"]').first().focus();
      const tip = page.locator('.map-tip');
      await tip.waitFor({ timeout: 5_000 });
      expect(await tip.innerText()).toMatch(/Hidden for your role/);
      await page.locator('path.area[data-unreliable="true"]').first().focus();
      await page.waitForFunction(() => /95% interval/.test(document.querySelector('.map-tip')?.textContent ?? ''));
      expect(await tip.innerText()).toMatch(/per 100,000, age-adjusted\n95% interval [\d.]+ to [\d.]+\n\d+ deaths\nUnreliable: fewer than 20 deaths/);
      expect(await page.locator('path.area[data-unreliable="true"]').first().getAttribute('aria-label')).toMatch(/age-adjusted; 95% interval .*Unreliable/);
      // Hover shows it too.
      await page.locator('path.area[data-area-id="303"]').hover();
      await page.waitForFunction(() => document.querySelector('.map-tip .tip-title')?.textContent?.startsWith('East Harlem'));
      // Small multiples on the commander's data: hidden periods marked, never drawn as zero.
      expect(await page.locator('.multiples .panel').count()).toBe(42);
      expect(await page.locator('.multiples rect.hidden-tick').count()).toBeGreaterThan(0);
      expect(await page.locator('footer.sources').innerText()).toMatch(/2000 U\.S\. standard population/);
      await shot(page, 'overview-adjusted-commander');
      expect(errors).toEqual([]);
    });

    it('moves across the map with the arrow keys, selects with Enter, and draws a small trend per neighborhood (analyst)', async () => {
      const { page, errors } = who.analyst;
      await page.goto(`${base}/?indicator=deaths.opioid&measure=rate&interval=year&period=2024-01-01`);
      await page.waitForFunction(() => document.querySelectorAll('path.area').length === 42, null, { timeout: 60_000 });
      // One tab stop for the whole map (roving tabindex).
      expect(await page.locator('path.area[tabindex="0"]').count()).toBe(1);
      await page.locator('path.area[data-area-id="303"]').focus();
      const active = () => page.evaluate(() => document.activeElement?.getAttribute('data-area-id') ?? null);
      await page.keyboard.press('ArrowRight');
      let moved = await active();
      if (moved === '303') {
        await page.keyboard.press('ArrowLeft');
        moved = await active();
      }
      expect(moved).not.toBe('303');
      expect(moved).toMatch(/^\d{3}$/);
      expect(await page.locator('path.area[tabindex="0"]').getAttribute('data-area-id')).toBe(moved);
      const label = (await page.locator(`path.area[data-area-id="${moved}"]`).getAttribute('aria-label')) ?? '';
      expect(label).toMatch(/, 2024: [\d.]+ per 100,000; 95% interval [\d.]+ to [\d.]+; \d+ deaths/);
      expect(await page.locator('.map-tip .tip-title').innerText()).toBe(label.split(':')[0]!);
      await page.keyboard.press('Enter');
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('area') === id, moved);
      await page.locator('path.trend-line.trend-area').waitFor({ timeout: 10_000 });

      // Small multiples: one panel per neighborhood, a line in each; a click selects.
      const panels = page.locator('.multiples .panel');
      expect(await panels.count()).toBe(42);
      const ds = await page.locator('.multiples path.spark-line').evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''));
      expect(ds.filter((d) => d.length > 20).length).toBe(42);
      expect(await page.locator(`.multiples .panel[data-area-id="${moved}"]`).getAttribute('aria-pressed')).toBe('true');
      await page.locator('.multiples .panel[data-area-id="101"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('area') === '101');
      // The keyboard: one tab stop for the 42 panels (the one last used), the arrow keys move
      // through the grid as laid out, Enter selects; the panel's name stays its text.
      expect(await page.locator('.multiples .panel[tabindex="0"]').count()).toBe(1);
      expect(await page.locator('.multiples .panel[tabindex="0"]').getAttribute('data-area-id')).toBe('101');
      const order = await panels.evaluateAll((els) => els.map((e) => e.getAttribute('data-area-id')));
      const perRow = await panels.evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetTop === (els[0] as HTMLElement).offsetTop).length);
      const at = order.indexOf('101');
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-area-id') ?? null);
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe(order[at + 1]);
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe(order[at + 1 + perRow]);
      expect(await page.locator('.multiples .panel[tabindex="0"]').getAttribute('data-area-id')).toBe(order[at + 1 + perRow]);
      expect(await page.locator(`.multiples .panel[data-area-id="${order[at + 1 + perRow]}"]`).innerText()).toMatch(/\S+[\s\S]*\d/);
      await page.keyboard.press('End');
      expect(await focused()).toBe(order[41]);
      await page.keyboard.press('Home');
      expect(await focused()).toBe(order[0]);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('area') === id, order[1]!);
      await page.locator('.multiples .panel[data-area-id="101"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('area') === '101');
      expect(await page.locator('.panel-top').count()).toBe(0);
      await page.locator('.scale-toggle input').uncheck();
      expect(await page.locator('.panel-top').count()).toBe(42);
      await page.locator('[data-chart="multiples"] .table-toggle').click();
      expect(await page.locator('[data-chart="multiples"] tbody tr').count()).toBe(42);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-chart="multiples"] .csv-download').click()]);
      const { readFileSync } = await import('node:fs');
      expect(readFileSync((await download.path())!, 'utf8').split('\r\n')[0]).toMatch(/^Neighborhood,Id,2020,2021,.*,2025$/);
      await page.locator('[data-chart="multiples"] .table-toggle').click();
      await page.locator('.scale-toggle input').check();

      // The measure switch: age-adjusted from /rates, in the URL.
      await page.selectOption('#measure', 'adjusted');
      await page.waitForFunction(() => document.querySelector('.legend-title')?.textContent?.startsWith('Age-adjusted'), null, { timeout: 60_000 });
      expect(new URL(page.url()).searchParams.get('measure')).toBe('adjusted');
      expect(await page.locator('svg.trend-chart .axis-title').textContent()).toBe('Age-adjusted deaths per 100,000 residents per year');
      await shot(page, 'overview-keyboard-analyst');

      // An indicator without ages: the API's reason, and the crude rate labelled as crude.
      await page.goto(`${base}/?indicator=drugcheck.samples_tested&measure=adjusted&interval=year`);
      await page.locator('[data-adjusted-problem]').waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-adjusted-problem]').innerText()).toMatch(/cannot be age-adjusted: its records carry no age/);
      expect(await page.locator('.legend-title').innerText()).not.toMatch(/Age-adjusted/);
      // The refusal (400 from /rates) is logged by the browser, as it should be; nothing else.
      expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    });

    it('prints without the controls, keeping the synthetic-data banner', async () => {
      const { page } = who.analyst;
      await page.goto(`${base}/?indicator=deaths.opioid&measure=rate`);
      await page.waitForFunction(() => document.querySelectorAll('path.area').length === 42, null, { timeout: 60_000 });
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.controls').isVisible()).toBe(false);
      expect(await page.locator('nav.views').isVisible()).toBe(false);
      expect(await page.locator('.synthetic-banner').isVisible()).toBe(true);
      expect(await page.locator('svg.choropleth').isVisible()).toBe(true);
      await shot(page, 'overview-print');
      await page.emulateMedia({ media: 'screen' });
    });
  });
});
