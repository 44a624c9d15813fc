// The default city, generated and loaded the way `odstat serve` does it, for tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuck, type Duck } from '../../sql/duckdb.ts';
import { migrate, openOps, type Ops, type PgTarget } from '../../sql/postgres/db.ts';
import { loadJurisdiction, type LoadedJurisdiction } from '../../ingest/jurisdiction.ts';
import { openMemoryOps } from './pglite.ts';
import { linkageKeyFromBytes } from '../../ingest/linkage.ts';
import { generateMortality, mortalityCsv, type MortalityManifest } from '../../fixtures/generators/mortality.ts';

export const REPO = join(import.meta.dirname, '..', '..');
export const NYC_DIR = join(REPO, 'fixtures', 'jurisdictions', 'nyc');
/** Fixed end date and seed: tests never depend on today's date. */
export const TEST_END = '2025-12-31';
export const TEST_SEED = 7;
/** A fixed linkage key for tests (a real deployment's key is random, in a file outside the database). */
export const TEST_LINKAGE = linkageKeyFromBytes(Buffer.from('odstat-test-linkage-key-32-bytes'));
/** Ingest options for tests. */
export const INGEST = { jurisdiction: 'nyc', actor: 'test', maxRejectShare: 0.05, linkage: TEST_LINKAGE };

export function tempDir(prefix = 'odstat-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function openStores(target: PgTarget = { kind: 'memory' }): Promise<{ duck: Duck; ops: Ops; nyc: LoadedJurisdiction }> {
  const duck = await openDuck(':memory:');
  // In memory: a real PGlite from a migrated snapshot (helpers/pglite.ts); migrate finds nothing to do.
  const ops = target.kind === 'memory' ? await openMemoryOps() : await openOps(target);
  await migrate(ops.db);
  const conn = await duck.connect();
  try {
    const nyc = await loadJurisdiction(conn, NYC_DIR);
    return { duck, ops, nyc };
  } finally {
    conn.closeSync();
  }
}

export function writeMortality(
  nyc: LoadedJurisdiction,
  dir: string,
  opts: { seed?: number; end?: string; years?: number } = {},
): { file: string; manifest: MortalityManifest; rows: string[][] } {
  const areas = nyc.areas.map((a) => ({ id: a.id, name: a.name, group: a.group ?? '', population: a.population ?? 0 }));
  const { rows, manifest } = generateMortality({
    seed: opts.seed ?? TEST_SEED,
    end: opts.end ?? TEST_END,
    areas,
    ...(opts.years ? { years: opts.years } : {}),
  });
  const file = join(dir, 'mortality.csv');
  writeFileSync(file, mortalityCsv(rows));
  return { file, manifest, rows };
}
