// The default city with every feed (fixtures/generators/all.ts), generated and loaded once and
// kept as a DuckDB file in the system temp folder, keyed by a hash of everything that shapes it
// (generators, ingest, SQL, the NYC jurisdiction folder, seed and end date). Building it takes
// about a minute on two cores; test files then open private copies in a second.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openDuck, type Duck } from '../../sql/duckdb.ts';
import { migrate, openOps, type Ops } from '../../sql/postgres/db.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import { generateAll, withGeography, writeAll, type AllManifest } from '../../fixtures/generators/all.ts';
import { openMemoryOps } from './pglite.ts';
import { INGEST, NYC_DIR, REPO, TEST_END, TEST_SEED, tempDir } from './fixtures.ts';

export interface City {
  duck: Duck;
  ops: Ops;
  /** Folder with every feed's CSV and manifest.json, as generated. */
  dir: string;
  manifest: AllManifest;
  close(): Promise<void>;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (/\.(ts|sql|json|csv)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

function cityKey(): string {
  const h = createHash('sha256').update(`${TEST_SEED}|${TEST_END}`);
  // Queries and views are not stored (openDuck re-creates views on every open).
  for (const d of ['fixtures/generators', 'ingest', 'sql/duckdb/schema', 'sql/duckdb/definitions', 'fixtures/jurisdictions/nyc']) {
    for (const f of filesUnder(join(REPO, d))) h.update(relative(REPO, f)).update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether the process that took the build lock still runs (no pid file yet: assume it does). */
function builderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    return Date.now() - statSync(lock).mtimeMs < 5_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function build(dir: string): Promise<void> {
  const fx = join(dir, 'fx');
  const duck = await openDuck(join(dir, 'build.duckdb'));
  const ops = await openOps({ kind: 'memory' });
  try {
    await migrate(ops.db);
    const conn = await duck.connect();
    const nyc = await loadJurisdiction(conn, NYC_DIR);
    conn.closeSync();
    const areas = nyc.areas.map((a) => ({ id: a.id, name: a.name, group: a.group ?? '', population: a.population ?? 0 }));
    const result = generateAll({ seed: TEST_SEED, end: TEST_END, areas: withGeography(areas, NYC_DIR) });
    const { files } = writeAll(result, fx, { jurisdiction: 'nyc' });
    for (const { feed, file } of files) await ingestFeedFile(duck, ops.db, feed, file, INGEST);
  } finally {
    duck.close();
    await ops.close();
  }
  renameSync(join(dir, 'build.duckdb'), join(dir, 'city.duckdb'));
  writeFileSync(join(dir, 'done'), new Date().toISOString());
}

/** The cached city's folder, built first if needed (one builder at a time across test workers). */
export async function cityDir(): Promise<string> {
  const dir = join(tmpdir(), `odstat-city-${cityKey()}`);
  const lock = `${dir}.lock`;
  for (let waited = 0; !existsSync(join(dir, 'done')); waited += 1000) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
    } catch {
      // Another worker is building. A lock whose builder process is gone (killed mid-build) is
      // taken over at once; one older than 10 minutes is taken over whatever it says.
      try {
        if (!builderAlive(lock) || Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // The lock went away meanwhile: try again.
      }
      if (waited > 900_000) throw new Error(`waited 15 minutes for ${lock}`);
      await sleep(1000);
      continue;
    }
    try {
      if (!existsSync(join(dir, 'done'))) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        await build(dir);
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return dir;
}

/** A private copy of the city: DuckDB with every feed loaded, a fresh operational database. */
export async function openCity(): Promise<City> {
  const dir = await cityDir();
  const copy = join(tempDir('odstat-city-copy-'), 'city.duckdb');
  copyFileSync(join(dir, 'city.duckdb'), copy);
  const duck = await openDuck(copy);
  const ops = await openMemoryOps();
  await migrate(ops.db);
  const manifest = JSON.parse(readFileSync(join(dir, 'fx', 'manifest.json'), 'utf8')) as AllManifest;
  return {
    duck,
    ops,
    dir: join(dir, 'fx'),
    manifest,
    close: async () => {
      duck.close();
      await ops.close();
    },
  };
}
