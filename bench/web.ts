// Benchmark of the page (issue 6, item 9), in headless Chromium (the system one, playwright-core)
// against the API on localhost with the default city:
//   1. initial JavaScript, gzipped: the entry script and the modules index.html preloads — what
//      the browser must fetch before the first view can run (budget 200 KB);
//   2. first map visible: from the start of a navigation to the overview until the 42 areas are
//      filled and a frame has been painted (budget 1.5 s);
//   3. time-slider re-render: from the slider's input event until the map and trend show the
//      new period and a frame has been painted (budget 100 ms).
//
//   npm run bench:web [-- --runs 7 --no-readme]
//
// Data: the seeded default city (New York City by UHF 42 neighborhood, synthetic feeds, seed 7,
// six years to 2025-12-31, every feed), from the cache the tests use (tests/helpers/city.ts;
// built on first use, about a minute). The page is the production build (dist/web, built first
// when stale). Figures go to stdout (JSON) and into bench/README.md between the bench:web markers.
import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { buildApp } from '../server/app.ts';
import { ensureWebBuilt } from '../cli/web-build.ts';
import { openCity } from '../tests/helpers/city.ts';
import { addUser, type TestUser } from '../tests/helpers/auth.ts';
import { launchChromium } from '../tests/helpers/browser.ts';
import { REPO } from '../tests/helpers/fixtures.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, 'no-readme': { type: 'boolean' } } });
const RUNS = Math.max(1, Number(values.runs ?? 7));
const BUDGET = { jsGzipKB: 200, firstMapMs: 1500, sliderMs: 100 };
const WEB_ROOT = join(REPO, 'dist', 'web');

const median = (v: number[]) => {
  const s = v.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (v: number, d = 0) => Math.round(v * 10 ** d) / 10 ** d;

// ── 1. initial JavaScript ─────────────────────────────────────────────────────────────────────

await ensureWebBuilt(WEB_ROOT, (s) => process.stderr.write(`${s}\n`));
const html = readFileSync(join(WEB_ROOT, 'index.html'), 'utf8');
const initial = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
].map((m) => m[1]!);
const size = (href: string) => {
  const bytes = readFileSync(join(WEB_ROOT, href.replace(/^\//, '')));
  // zlib's default level (6), what a web server's gzip typically sends.
  return { file: href, raw: bytes.length, gzip: gzipSync(bytes).length };
};
const initialFiles = [...new Set(initial)].map(size);
const jsGzip = initialFiles.reduce((n, f) => n + f.gzip, 0);
const jsRaw = initialFiles.reduce((n, f) => n + f.raw, 0);
const assets = join(WEB_ROOT, 'assets');
const lazyFiles = readdirSync(assets)
  .filter((f) => f.endsWith('.js') && !initial.some((i) => i.endsWith(f)))
  .map((f) => size(`/assets/${f}`));
const cssFiles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => size(m[1]!));

// ── 2 and 3: the page in Chromium ──────────────────────────────────────────────────────────────

const loadStart = loadavg()[0]!;
const city = await openCity();
const app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: WEB_ROOT });
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const users = {
  analyst: await addUser(city.ops.db, { role: 'analyst' }),
  commander: await addUser(city.ops.db, { role: 'commander' }),
};
const browser = await launchChromium();

// Marks the moment the map is first complete (42 filled areas), then the next painted frame. A
// string, not a function: tsx would wrap a function's inner functions in helpers the page lacks.
const MAP_PROBE = `(() => {
  const check = () => {
    if (window.__mapAt !== undefined) return;
    if (document.querySelectorAll('svg.choropleth path.area[fill]').length === 42) {
      window.__mapAt = performance.now();
      requestAnimationFrame(() => setTimeout(() => { window.__mapPainted = performance.now(); }, 0));
      obs.disconnect();
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['fill'] });
})();`;

async function signedIn(user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/?view=status`);
  await page.waitForSelector('input[name="email"]');
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', user.password);
  await page.click('button[type="submit"]');
  await page.getByText('Signed in as').waitFor({ timeout: 30_000 });
  await context.addInitScript({ content: MAP_PROBE });
  return { context, page };
}

/** One navigation to the overview; cold = the browser's HTTP cache emptied first. */
async function firstMap(page: Page, cold: boolean, search: string): Promise<number> {
  if (cold) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
  }
  await page.goto(`${base}/${search}`);
  await page.waitForFunction(() => (window as unknown as { __mapPainted?: number }).__mapPainted !== undefined, null, { timeout: 60_000 });
  return page.evaluate(() => (window as unknown as { __mapPainted: number }).__mapPainted);
}

const result: Record<string, unknown> = {};
const firstMapRuns: Record<string, { firstEver: number; cold: number[]; warm: number[] }> = {};
for (const role of ['analyst', 'commander'] as const) {
  const { context, page } = await signedIn(users[role]);
  // The first navigation of all: the server has answered nothing for this role yet.
  const firstEver = await firstMap(page, true, '?indicator=deaths.any_drug');
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) cold.push(await firstMap(page, true, '?indicator=deaths.any_drug'));
  for (let i = 0; i < RUNS; i++) warm.push(await firstMap(page, false, '?indicator=deaths.any_drug'));
  firstMapRuns[role] = { firstEver: round(firstEver), cold: cold.map((x) => round(x)), warm: warm.map((x) => round(x)) };
  await context.close();
}
result.firstMap = firstMapRuns;

// Slider: every month of the series in turn, back to front, as an analyst.
const slider: number[] = [];
{
  const { context, page } = await signedIn(users.analyst);
  await firstMap(page, false, '?indicator=deaths.any_drug&measure=rate&interval=month');
  const max = Number(await page.locator('#period').getAttribute('max'));
  for (let i = max - 1; i >= Math.max(0, max - 1 - 4 * RUNS); i--) {
    const ms = await page.evaluate(async (to) => {
      const input = document.querySelector<HTMLInputElement>('#period')!;
      const label = document.querySelector('#period-label')!;
      const before = label.textContent;
      const t0 = performance.now();
      input.value = String(to);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      // Svelte applies the change in a microtask; then one frame is painted.
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      if (label.textContent === before) throw new Error('the slider did not change the period shown');
      return performance.now() - t0;
    }, i);
    slider.push(round(ms, 1));
  }
  await context.close();
}
result.slider = slider;
await browser.close();
await app.close();
await city.close();

const summary = {
  date: new Date().toISOString().slice(0, 10),
  machine: { cpu: cpus()[0]?.model.trim() ?? '?', nproc: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, loadAverageAtStart: round(loadStart, 2), loadAverageAtEnd: round(loadavg()[0]!, 2) },
  js: { initialFiles, initialRawKB: round(jsRaw / 1024, 1), initialGzipKB: round(jsGzip / 1024, 1), lazy: lazyFiles, css: cssFiles },
  firstMap: Object.fromEntries(
    Object.entries(firstMapRuns).map(([role, r]) => [role, { firstEverMs: r.firstEver, coldMedianMs: median(r.cold), coldMaxMs: Math.max(...r.cold), warmMedianMs: median(r.warm), warmMaxMs: Math.max(...r.warm) }]),
  ),
  slider: { moves: slider.length, medianMs: median(slider), p90Ms: slider.slice().sort((a, b) => a - b)[Math.floor(slider.length * 0.9)] ?? null, maxMs: Math.max(...slider) },
  runs: RUNS,
};
console.log(JSON.stringify({ ...summary, raw: result }, null, 2));

if (!values['no-readme']) {
  const m = summary.machine;
  const fm = summary.firstMap as Record<'analyst' | 'commander', { firstEverMs: number; coldMedianMs: number; coldMaxMs: number; warmMedianMs: number; warmMaxMs: number }>;
  const ok = (v: number, budget: number) => (v <= budget ? `**within** (≤ ${budget})` : `**over** by ${round(v - budget)} (budget ${budget})`);
  const section = `<!-- bench:web -->
## The page (\`npm run bench:web\`)

Issue 6 budgets: initial JavaScript ≤ ${BUDGET.jsGzipKB} KB gzipped; the first map visible within
${BUDGET.firstMapMs / 1000} s of navigation on localhost in headless Chromium with the default city; the time
slider re-renders within ${BUDGET.sliderMs} ms. Production build (dist/web); the API in the same process as
the benchmark, on localhost; the seeded default city (synthetic NYC, 42 UHF neighborhoods, seed 7,
six years to 2025-12-31, every feed); Debian's Chromium, headless; viewport 1280 × 900.

Machine: ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadAverageAtStart} at the start,
${m.loadAverageAtEnd} at the end (a shared machine: other work slows every figure). Date ${summary.date}.

| what | figure | budget |
| --- | ---: | --- |
| initial JavaScript (entry + preloaded modules), gzip level 6 | **${summary.js.initialGzipKB} KB** (${summary.js.initialRawKB} KB raw, ${summary.js.initialFiles.length} file${summary.js.initialFiles.length === 1 ? '' : 's'}) | ${ok(summary.js.initialGzipKB, BUDGET.jsGzipKB)} KB |
| views loaded when first opened (hotspots, profile, drug supply, data status) | ${round(summary.js.lazy.reduce((n, f) => n + f.gzip, 0) / 1024, 1)} KB gzipped in ${summary.js.lazy.length} files | — |
| first map visible, analyst, empty browser cache, median of ${RUNS} (max) | **${fm.analyst.coldMedianMs} ms** (${fm.analyst.coldMaxMs}) | ${ok(fm.analyst.coldMedianMs, BUDGET.firstMapMs)} ms |
| first map visible, analyst, cached page, median of ${RUNS} (max) | ${fm.analyst.warmMedianMs} ms (${fm.analyst.warmMaxMs}) | ${ok(fm.analyst.warmMedianMs, BUDGET.firstMapMs)} ms |
| first map visible, analyst, the very first request of the server | ${fm.analyst.firstEverMs} ms | ${ok(fm.analyst.firstEverMs, BUDGET.firstMapMs)} ms |
| first map visible, commander (suppressed cube), empty cache, median of ${RUNS} (max) | **${fm.commander.coldMedianMs} ms** (${fm.commander.coldMaxMs}) | ${ok(fm.commander.coldMedianMs, BUDGET.firstMapMs)} ms |
| first map visible, commander, the first request for its role (the server builds the suppressed cube) | ${fm.commander.firstEverMs} ms | ${ok(fm.commander.firstEverMs, BUDGET.firstMapMs)} ms |
| time slider, input to painted frame, ${summary.slider.moves} moves: median / 90th percentile / max | **${summary.slider.medianMs} / ${summary.slider.p90Ms} / ${summary.slider.maxMs} ms** | ${ok(summary.slider.maxMs, BUDGET.sliderMs)} ms (max) |

"Visible" is the first painted frame after the 42 neighborhoods have their fill (a MutationObserver
and a requestAnimationFrame in the page), measured from the navigation's start
(\`performance.now()\`). Signed in beforehand; the session check, the catalog requests, the
boundaries and the series are all inside the figure. The slider figure dispatches the range
input's \`input\` event and waits for the next painted frame.
<!-- /bench:web -->`;
  const readme = join(import.meta.dirname, 'README.md');
  const before = existsSync(readme) ? readFileSync(readme, 'utf8') : '# Benchmarks\n';
  const re = /<!-- bench:web -->[\s\S]*?<!-- \/bench:web -->/;
  writeFileSync(readme, re.test(before) ? before.replace(re, section) : `${before.trimEnd()}\n\n${section}\n`);
}
