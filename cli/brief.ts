// `odstat brief --month YYYY-MM --out FILE.pdf`: the monthly brief page (?view=brief) printed to PDF
// by headless Chromium (the system's, through playwright-core; nothing is downloaded). It uses the
// server running on this data directory, or starts one in this process when none runs. It signs
// in as a service account of the chosen role with a short session minted against the local
// administrator token (a file only the data directory's owner can read): no password prompt, and
// the minting is in the audit log. The first print of a month freezes its snapshot (docs/brief.md).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import type { Duck } from '../sql/duckdb.ts';
import type { Ops } from '../sql/postgres/db.ts';
import { findLiveServer, loadAdminToken, loadCsrfKey } from './local-server.ts';
import { ensureWebBuilt } from './web-build.ts';
import { loadLinkageKey } from '../ingest/linkage.ts';
import { MonthError, parseMonth } from '../server/brief/figures.ts';

export const BRIEF_USAGE = 'odstat brief --month YYYY-MM --out FILE.pdf [--jurisdiction ID] [--role partner|commander|analyst] [--paper letter|a4]';

const ROLES = ['partner', 'commander', 'analyst'] as const;
type PrintRole = (typeof ROLES)[number];

export class BriefError extends Error {}

/** The system Chromium: ODSTAT_CHROMIUM, else /usr/bin/chromium. Never downloaded. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.ODSTAT_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new BriefError(`Chromium not found at ${path}: install it (apt-get install chromium) or set ODSTAT_CHROMIUM to its path`);
  }
  return path;
}

export interface PrintOptions {
  base: string;
  adminToken: string;
  month: string;
  out: string;
  jurisdiction: string | null;
  role: PrintRole;
  paper: 'Letter' | 'A4';
  chromium: string;
  log?: (s: string) => void;
}

async function apiJson(res: Response): Promise<{ message?: string } & Record<string, unknown>> {
  try {
    return (await res.json()) as { message?: string };
  } catch {
    return { message: `${res.status} ${res.statusText}` };
  }
}

/** Prints the brief page of `month` to `out`; returns the number of pages. */
export async function printBrief(o: PrintOptions): Promise<{ pages: number; version: number; frozenAt: string }> {
  const log = o.log ?? (() => {});
  const minted = await fetch(new URL('/api/v1/briefs/service-session', o.base), {
    method: 'POST',
    headers: { authorization: `Bearer ${o.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: o.role }),
  });
  const s = (await apiJson(minted)) as { message?: string; cookie?: { name: string; value: string; path: string }; email?: string };
  if (minted.status !== 201 || !s.cookie) throw new BriefError(`the server refused a service session (${minted.status}): ${s.message ?? ''}`);
  const cookie = `${s.cookie.name}=${s.cookie.value}`;
  try {
    // Ask for the brief first: a month without data is said here, plainly, before any browser starts.
    const url = new URL(`/api/v1/briefs/${o.month}`, o.base);
    if (o.jurisdiction) url.searchParams.set('jurisdiction', o.jurisdiction);
    const res = await fetch(url, { headers: { cookie, accept: 'application/json' } });
    const body = await apiJson(res);
    if (res.status !== 200) throw new BriefError(`the ${o.month} brief: ${body.message ?? res.status}`);
    const version = body.version as number;
    const frozenAt = body.frozenAt as string;
    log(`brief ${o.month}: version ${version}, frozen ${frozenAt}${body.newerData ? ' (newer data exist; an analyst may refresh it)' : ''}`);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: o.chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    try {
      const base = new URL(o.base);
      const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
      await context.addCookies([{ name: s.cookie.name, value: s.cookie.value, domain: base.hostname, path: s.cookie.path, httpOnly: true, sameSite: 'Strict' }]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const q = new URLSearchParams({ view: 'brief', month: o.month });
      if (o.jurisdiction) q.set('j', o.jurisdiction);
      await page.goto(new URL(`/?${q}`, o.base).toString());
      await page.waitForSelector('[data-brief-ready="true"], [data-brief-error="true"]', { timeout: 120_000 });
      if (await page.locator('[data-brief-error="true"]').count()) {
        throw new BriefError(`the page could not show the brief: ${await page.locator('.brief .error').innerText()}`);
      }
      if (errors.length) throw new BriefError(`the page failed: ${errors.join('; ')}`);
      await page.emulateMedia({ media: 'print' });
      mkdirSync(dirname(o.out), { recursive: true });
      await page.pdf({
        path: o.out,
        format: o.paper,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-size:8px;width:100%;padding:0 12mm;color:#444;display:flex;justify-content:space-between"><span>ODStat monthly brief ${o.month}, version ${version}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
        margin: { top: '12mm', bottom: '16mm', left: '12mm', right: '12mm' },
      });
      await context.close();
    } finally {
      await browser.close();
    }
    return { pages: pdfPages(readFileSync(o.out)), version, frozenAt };
  } finally {
    // End the service session now rather than at its expiry.
    try {
      const t = await fetch(new URL('/api/v1/auth/csrf', o.base), { headers: { cookie } });
      const csrfCookie = (t.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
      const { csrfToken } = (await t.json()) as { csrfToken: string };
      await fetch(new URL('/api/v1/auth/logout', o.base), { method: 'POST', headers: { cookie: [cookie, csrfCookie].filter(Boolean).join('; '), 'x-csrf-token': csrfToken } });
    } catch {
      // It expires within 15 minutes anyway.
    }
  }
}

/** Pages of a PDF: its /Type /Page objects (Chromium writes them uncompressed). */
export function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

export interface BriefDeps {
  openStores(cfg: Config): Promise<{ duck: Duck; ops: Ops }>;
  say(s: string): void;
  warn(s: string): void;
  stamp(s: string): void;
}

export async function briefCommand(cfg: Config, args: string[], deps: BriefDeps): Promise<number> {
  let values: { month?: string | undefined; out?: string | undefined; jurisdiction?: string | undefined; role?: string | undefined; paper?: string | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { month: { type: 'string' }, out: { type: 'string', short: 'o' }, jurisdiction: { type: 'string', short: 'j' }, role: { type: 'string' }, paper: { type: 'string' } },
    }));
  } catch (e) {
    deps.warn(`odstat brief: ${(e as Error).message}\nusage: ${BRIEF_USAGE}`);
    return 2;
  }
  if (!values.month || !values.out) {
    deps.warn(`odstat brief: --month and --out are required\nusage: ${BRIEF_USAGE}`);
    return 2;
  }
  let month: string;
  try {
    month = parseMonth(values.month);
  } catch (e) {
    if (e instanceof MonthError) {
      deps.warn(`odstat brief: --month ${e.message}`);
      return 2;
    }
    throw e;
  }
  const role = (values.role ?? 'partner') as PrintRole;
  if (!ROLES.includes(role)) {
    deps.warn(`odstat brief: --role must be one of ${ROLES.join(', ')} (got "${values.role}")`);
    return 2;
  }
  const paper = (values.paper ?? 'letter').toLowerCase();
  if (paper !== 'letter' && paper !== 'a4') {
    deps.warn(`odstat brief: --paper must be letter or a4 (got "${values.paper}")`);
    return 2;
  }
  const out = resolve(values.out);
  if (!out.toLowerCase().endsWith('.pdf')) {
    deps.warn(`odstat brief: --out ${values.out}: the file name must end in .pdf`);
    return 2;
  }
  let chromium: string;
  try {
    chromium = chromiumPath();
  } catch (e) {
    deps.warn(`odstat brief: ${(e as Error).message}`);
    return 1;
  }
  const common = { month, out, jurisdiction: values.jurisdiction ?? null, role, paper: paper === 'a4' ? ('A4' as const) : ('Letter' as const), chromium, log: deps.stamp };

  const run = async (base: string, adminToken: string) => {
    try {
      const r = await printBrief({ base, adminToken, ...common });
      deps.say(`${out}: ${r.pages} page${r.pages === 1 ? '' : 's'} (${month}, version ${r.version}, as ${role})`);
      return 0;
    } catch (e) {
      if (e instanceof BriefError) {
        deps.warn(`odstat brief: ${e.message}`);
        return 1;
      }
      throw e;
    }
  };

  const server = await findLiveServer(cfg.dataDir);
  if (server) {
    deps.stamp(`using the server running on this data directory (${server.url}, pid ${server.pid})`);
    return run(server.url, loadAdminToken(cfg.dataDir));
  }
  // No server: start one here, on a free local port, for as long as the print takes.
  deps.stamp('no server is running on this data directory: starting one in this process');
  await ensureWebBuilt(cfg.webRoot, deps.stamp);
  const { duck, ops } = await deps.openStores(cfg);
  const adminToken = loadAdminToken(cfg.dataDir);
  const { buildApp } = await import('../server/app.ts');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const app = await buildApp({
    duck,
    ops,
    defaultJurisdiction: cfg.defaultJurisdiction,
    webRoot: cfg.webRoot,
    logger: { level: cfg.logLevel },
    // Only for the administrator token check: this server takes no uploads.
    ingest: { incomingDir: mkdtempSync(join(tmpdir(), 'odstat-brief-')), linkage: loadLinkageKey(cfg.linkageKeyFile), maxRejectShare: cfg.maxRejectShare, adminToken },
    security: { ...cfg.security, csrfKey: loadCsrfKey(cfg.dataDir) },
  });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    return await run(base, adminToken);
  } finally {
    await app.close();
  }
}
