// What `odstat serve` does before it listens: migrate, load every configured jurisdiction, and on
// the first start of a synthetic default city generate and ingest its feeds.
import { join } from 'node:path';
import type { Duck } from '../sql/duckdb.ts';
import { rows } from '../sql/duckdb.ts';
import type { Ops } from '../sql/postgres/db.ts';
import { markInterrupted } from '../sql/postgres/ingest-runs.ts';
import { listJurisdictionDirs, loadJurisdiction, type LoadedJurisdiction } from '../ingest/jurisdiction.ts';
import { loadLinkageKey } from '../ingest/linkage.ts';
import { ingestFeedFile } from '../ingest/feeds/index.ts';
import { defaultEndDate } from '../fixtures/generators/mortality.ts';
import { FEED_FILES, FEEDS, feedFiles, generateAll, withGeography, writeAll, type Feed } from '../fixtures/generators/all.ts';
import type { Config } from './config.ts';
import { createDemoAccounts } from './demo-accounts.ts';

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
  /** Every feed's file, in load order: (feed, file) pairs for the first-start ingest. */
  feeds: { feed: Feed; file: string }[];
}

/**
 * Writes the default city's generated feeds (every feed, fixtures/generators/all.ts) and their
 * manifest into `outDir`. `scale` multiplies the EMS background only (benchmarks).
 */
export function writeFixtures(
  j: LoadedJurisdiction,
  outDir: string,
  opts: { seed: number; end: string | null; today?: Date; scale?: number },
): FixtureFiles {
  const end = opts.end ?? defaultEndDate(opts.today ?? new Date());
  const areas = j.areas.map((a) => ({ id: a.id, name: a.name, group: a.group ?? '', population: a.population ?? 0 }));
  const result = generateAll({ seed: opts.seed, end, areas: withGeography(areas, j.dir), scale: opts.scale ?? 1 });
  const { files, manifest } = writeAll(result, outDir, { jurisdiction: j.config.id });
  return { dir: outDir, mortality: join(outDir, FEED_FILES.mortality), manifest, feeds: files };
}

/** (feed, file) pairs of a fixtures folder written by writeFixtures, in load order. */
export function fixtureFeedFiles(dir: string): { feed: Feed; file: string }[] {
  return feedFiles(dir);
}

export async function bootstrap(cfg: Config, duck: Duck, ops: Ops, log: (s: string) => void): Promise<void> {
  const interrupted = await markInterrupted(ops.db);
  if (interrupted > 0) log(`marked ${interrupted} ingest run(s) left unfinished by an earlier process as interrupted`);
  const loaded = await loadJurisdictions(duck, cfg.jurisdictionsDir);
  if (loaded.length === 0) throw new Error(`no jurisdiction configured: ${cfg.jurisdictionsDir} holds no */jurisdiction.json`);
  log(`jurisdictions: ${loaded.map((j) => `${j.config.id} (${j.areas.length} areas)`).join(', ')}`);
  const def = loaded.find((j) => j.config.id === cfg.defaultJurisdiction);
  if (!def) throw new Error(`the default jurisdiction "${cfg.defaultJurisdiction}" is not among ${loaded.map((j) => j.config.id).join(', ')}`);
  // Demo accounts on the embedded default's first start only; never with DATABASE_URL.
  if (def.config.synthetic && cfg.pg.kind === 'embedded') await createDemoAccounts(ops.db, log);
  if (!def.config.synthetic) return;

  // The synthetic city is (re)generated and loaded while any of its feeds has never been loaded:
  // on the first start, and after an upgrade that adds a feed. Generation is deterministic, and a
  // file loaded before is recognised by its hash, so this never duplicates anything.
  const conn = await duck.connect();
  let loadedFeeds: Set<string>;
  try {
    loadedFeeds = new Set(
      (await rows<{ feed: string }>(conn, `SELECT DISTINCT feed FROM loaded_files WHERE jurisdiction_id = $j`, { j: def.config.id })).map((r) => r.feed),
    );
  } finally {
    conn.closeSync();
  }
  if (FEEDS.every((f) => loadedFeeds.has(f))) return;

  const started = Date.now();
  log(`${loadedFeeds.size === 0 ? 'first start' : 'a feed is missing'}: generating the synthetic feeds for ${def.config.name} (seed ${cfg.fixturesSeed})…`);
  const files = writeFixtures(def, join(cfg.dataDir, 'fixtures', def.config.id), { seed: cfg.fixturesSeed, end: cfg.fixturesEnd });
  log(`  wrote ${files.feeds.length} files and ${files.manifest} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const linkage = loadLinkageKey(cfg.linkageKeyFile);
  for (const { feed, file } of files.feeds) {
    const report = await ingestFeedFile(duck, ops.db, feed, file, {
      jurisdiction: def.config.id,
      actor: 'odstat serve (first start)',
      maxRejectShare: cfg.maxRejectShare,
      linkage,
      log: (s) => log(`  ${feed}: ${s}`),
    });
    log(`  ${feed}: ${report.message}`);
  }
  log(`  synthetic city loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
