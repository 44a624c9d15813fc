// What `odstat serve` does before it listens: migrate, load every configured jurisdiction, and on
// the first start of a synthetic default city generate and ingest its feeds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck } from '../sql/duckdb.ts';
import { rows } from '../sql/duckdb.ts';
import type { Ops } from '../sql/postgres/db.ts';
import { markInterrupted } from '../sql/postgres/ingest-runs.ts';
import { listJurisdictionDirs, loadJurisdiction, type LoadedJurisdiction } from '../ingest/jurisdiction.ts';
import { runIngest } from '../ingest/run.ts';
import { loadLinkageKey } from '../ingest/linkage.ts';
import { mortalityAdapter } from '../ingest/feeds/mortality.ts';
import { defaultEndDate, generateMortality, mortalityCsv } from '../fixtures/generators/mortality.ts';
import type { Config } from './config.ts';

export async function loadJurisdictions(duck: Duck, dir: string): Promise<LoadedJurisdiction[]> {
  const conn = await duck.connect();
  try {
    const out: LoadedJurisdiction[] = [];
    for (const d of listJurisdictionDirs(dir)) out.push(await loadJurisdiction(conn, d));
    return out;
  } finally {
    conn.closeSync();
  }
}

export interface FixtureFiles {
  dir: string;
  mortality: string;
  manifest: string;
}

/** Writes the default city's generated feeds and their manifest into `outDir`. */
export function writeFixtures(
  j: LoadedJurisdiction,
  outDir: string,
  opts: { seed: number; end: string | null; today?: Date },
): FixtureFiles {
  mkdirSync(outDir, { recursive: true });
  const end = opts.end ?? defaultEndDate(opts.today ?? new Date());
  const areas = j.areas.map((a) => ({ id: a.id, name: a.name, group: a.group ?? '', population: a.population ?? 0 }));
  const { rows: records, manifest } = generateMortality({ seed: opts.seed, end, areas });
  const files = { dir: outDir, mortality: join(outDir, 'mortality.csv'), manifest: join(outDir, 'manifest.json') };
  writeFileSync(files.mortality, mortalityCsv(records));
  writeFileSync(files.manifest, `${JSON.stringify({ jurisdiction: j.config.id, mortality: manifest }, null, 2)}\n`);
  return files;
}

export async function bootstrap(cfg: Config, duck: Duck, ops: Ops, log: (s: string) => void): Promise<void> {
  const interrupted = await markInterrupted(ops.db);
  if (interrupted > 0) log(`marked ${interrupted} ingest run(s) left unfinished by an earlier process as interrupted`);
  const loaded = await loadJurisdictions(duck, cfg.jurisdictionsDir);
  if (loaded.length === 0) throw new Error(`no jurisdiction configured: ${cfg.jurisdictionsDir} holds no */jurisdiction.json`);
  log(`jurisdictions: ${loaded.map((j) => `${j.config.id} (${j.areas.length} areas)`).join(', ')}`);
  const def = loaded.find((j) => j.config.id === cfg.defaultJurisdiction);
  if (!def) throw new Error(`the default jurisdiction "${cfg.defaultJurisdiction}" is not among ${loaded.map((j) => j.config.id).join(', ')}`);
  if (!def.config.synthetic) return;

  const conn = await duck.connect();
  let have = 0;
  try {
    const [r] = await rows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM mortality_deaths WHERE jurisdiction_id = $j`, { j: def.config.id });
    have = r?.n ?? 0;
  } finally {
    conn.closeSync();
  }
  if (have > 0) return;

  log(`first start: generating the synthetic feeds for ${def.config.name} (seed ${cfg.fixturesSeed})…`);
  const files = writeFixtures(def, join(cfg.dataDir, 'fixtures', def.config.id), { seed: cfg.fixturesSeed, end: cfg.fixturesEnd });
  log(`  wrote ${files.mortality}`);
  const report = await runIngest(duck, ops.db, mortalityAdapter, files.mortality, {
    jurisdiction: def.config.id,
    actor: 'odstat serve (first start)',
    maxRejectShare: cfg.maxRejectShare,
    linkage: loadLinkageKey(cfg.linkageKeyFile),
    log: (s) => log(`  ${s}`),
  });
  log(`  ${report.message}`);
}
