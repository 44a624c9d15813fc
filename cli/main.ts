// odstat — the command-line program (PRODUCT.md, public interfaces).
import { parseArgs } from 'node:util';
import { basename, resolve } from 'node:path';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { ensureWebBuilt } from './web-build.ts';
import { bootstrap, loadJurisdictions, writeFixtures } from './bootstrap.ts';
import { openDuck, type Duck } from '../sql/duckdb.ts';
import { describeTarget, migrate, openOps, type Ops } from '../sql/postgres/db.ts';
import { IngestError, type IngestReport } from '../ingest/run.ts';
import { FEEDS, ingestFeedFile } from '../ingest/feeds/index.ts';
import { loadLinkageKey } from '../ingest/linkage.ts';
import { ConfigError as JurisdictionConfigError } from '../ingest/jurisdiction.ts';

const USAGE = `odstat — overdose data dashboard for a multi-agency working group

Usage:
  odstat serve                                   start the dashboard (first start loads the default city)
  odstat ingest <feed> <file…> [--jurisdiction ID]
                                                 load agency files; feeds: ${FEEDS.join(', ')}
  odstat fixtures [--out DIR] [--seed N] [--end YYYY-MM-DD]
                                                 write the default city's synthetic feeds and manifest
  odstat help                                    this text

Configuration is by environment variable; see README.md (ODSTAT_DATA_DIR, DATABASE_URL, ODSTAT_PORT, …).`;

const say = (s: string) => process.stdout.write(`${s}\n`);
const warn = (s: string) => process.stderr.write(`${s}\n`);
const stamp = (s: string) => say(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(loadConfig());
      case 'ingest':
        return await ingest(loadConfig(), rest);
      case 'fixtures':
        return await fixtures(loadConfig(), rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        say(USAGE);
        return command === undefined ? 2 : 0;
      default:
        warn(`odstat: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof JurisdictionConfigError || e instanceof IngestError) {
      warn(`odstat: ${e.message}`);
      return 1;
    }
    warn(`odstat: ${explain(e)}`);
    return 1;
  }
}

/** Turns the errors people meet into sentences that say what to do. */
function explain(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Could not set lock on file/i.test(msg)) {
    return `the DuckDB file is in use by another process (is "odstat serve" running?). Stop it, then run this again.\n  (${msg.split('\n')[0]})`;
  }
  if (/ECONNREFUSED/.test(msg)) return `cannot reach Postgres (${msg}). Check DATABASE_URL, or unset it to use the embedded database.`;
  return msg;
}

async function openStores(cfg: Config): Promise<{ duck: Duck; ops: Ops }> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(cfg.dataDir, { recursive: true });
  const ops = await openOps(cfg.pg);
  try {
    const applied = await migrate(ops.db);
    if (applied.length > 0) stamp(`migrated ${describeTarget(cfg.pg)}: ${applied.join(', ')}`);
    const duck = await openDuck(cfg.duckdbPath);
    return { duck, ops };
  } catch (e) {
    await ops.close();
    throw e;
  }
}

async function serve(cfg: Config): Promise<number> {
  const started = Date.now();
  await ensureWebBuilt(cfg.webRoot, stamp);
  const { duck, ops } = await openStores(cfg);
  stamp(`data: ${cfg.duckdbPath}; operational database: ${describeTarget(cfg.pg)}`);
  try {
    await bootstrap(cfg, duck, ops, stamp);
  } catch (e) {
    duck.close();
    await ops.close();
    throw e;
  }
  const { buildApp } = await import('../server/app.ts');
  const app = await buildApp({
    duck,
    ops,
    defaultJurisdiction: cfg.defaultJurisdiction,
    webRoot: cfg.webRoot,
    logger: { level: cfg.logLevel },
  });
  const shutdown = async (signal: string) => {
    stamp(`${signal}: closing`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: cfg.host, port: cfg.port });
  const shown = cfg.host === '0.0.0.0' ? 'localhost' : cfg.host;
  stamp(`ODStat is serving on http://${shown}:${cfg.port} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return new Promise<number>(() => {});
}

async function ingest(cfg: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { jurisdiction: { type: 'string', short: 'j' } },
  });
  const [feed, ...files] = positionals;
  if (!feed || files.length === 0) {
    warn(`odstat ingest: usage: odstat ingest <feed> <file…> [--jurisdiction ID]; feeds: ${FEEDS.join(', ')}`);
    return 2;
  }
  if (!FEEDS.includes(feed)) {
    warn(`odstat ingest: unknown feed "${feed}"; feeds: ${FEEDS.join(', ')}`);
    return 2;
  }
  const jurisdiction = values.jurisdiction ?? cfg.defaultJurisdiction;
  const linkage = loadLinkageKey(cfg.linkageKeyFile);
  const { duck, ops } = await openStores(cfg);
  let failed = 0;
  try {
    await loadJurisdictions(duck, cfg.jurisdictionsDir);
    for (const f of files) {
      try {
        const report = await ingestFeedFile(duck, ops.db, feed, resolve(f), {
          jurisdiction,
          actor: `odstat ingest (${process.env.USER ?? 'unknown user'})`,
          maxRejectShare: cfg.maxRejectShare,
          linkage,
          log: stamp,
        });
        printReport(report);
      } catch (e) {
        failed++;
        if (e instanceof IngestError && e.report) printReport(e.report);
        warn(`odstat ingest: ${e instanceof IngestError ? e.message : explain(e)}`);
      }
    }
  } finally {
    duck.close();
    await ops.close();
  }
  return failed > 0 ? 1 : 0;
}

function printReport(r: IngestReport): void {
  say(`${basename(r.file)} → ${r.feed}: ${r.status}`);
  if (r.status === 'unchanged') {
    say(`  ${r.message}`);
    return;
  }
  say(`  rows in ${r.rowsIn}, accepted ${r.rowsAccepted}, rejected ${r.rowsRejected}${r.rowsUnassigned ? `, no area ${r.rowsUnassigned}` : ''}`);
  for (const [reason, n] of Object.entries(r.rejectsByReason)) say(`  rejected, ${reason}: ${n}`);
  for (const s of r.sampleRejects.slice(0, 10)) {
    say(`    ${basename(r.file)}:${s.line} ${s.field}: ${s.reason}${s.value !== null ? ` (${JSON.stringify(s.value)})` : ''}`);
  }
  if (r.sampleRejects.length > 10) say(`    … see data status for every rejected row`);
  say(`  definitions: ${Object.entries(r.definitionVersions).map(([k, v]) => `${k} ${v}`).join(', ')}; run ${r.runId}`);
}

async function fixtures(cfg: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' }, jurisdiction: { type: 'string', short: 'j' } },
  });
  const seed = values.seed !== undefined ? Number(values.seed) : cfg.fixturesSeed;
  if (!Number.isInteger(seed) || seed < 0) {
    warn(`odstat fixtures: --seed must be a whole number (got ${values.seed})`);
    return 2;
  }
  if (values.end !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.end)) {
    warn(`odstat fixtures: --end must be YYYY-MM-DD (got ${values.end})`);
    return 2;
  }
  const id = values.jurisdiction ?? cfg.defaultJurisdiction;
  const duck = await openDuck(':memory:');
  try {
    const loaded = await loadJurisdictions(duck, cfg.jurisdictionsDir);
    const j = loaded.find((x) => x.config.id === id);
    if (!j) {
      warn(`odstat fixtures: unknown jurisdiction "${id}"`);
      return 2;
    }
    const out = resolve(values.out ?? `fixtures-out/${id}`);
    const files = writeFixtures(j, out, { seed, end: values.end ?? cfg.fixturesEnd });
    say(`wrote ${files.mortality}\nwrote ${files.manifest}`);
    return 0;
  } finally {
    duck.close();
  }
}
