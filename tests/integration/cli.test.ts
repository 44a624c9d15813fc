import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, TEST_END, tempDir } from '../helpers/fixtures.ts';
import { runOdstat, spawnOdstat } from '../helpers/odstat.ts';

/**
 * `odstat …` in this process (cli/main.ts's main, what bin/odstat.js runs), or, with `spawn`, as
 * the real binary: each command path here (fixtures, ingest, a damaged store) is run once by the
 * binary, to prove it works end to end; the other cases test the commands' logic in process.
 */
const odstat = (args: string[], env: Record<string, string>, spawn = false) => (spawn ? spawnOdstat(args, env) : runOdstat(args, env));

describe('the odstat command', { timeout: 240_000 }, () => {
  const data = tempDir('odstat-cli-');
  const env = { ODSTAT_DATA_DIR: data };
  const out = join(data, 'gen');
  // The in-process runs after the first load: each opens the stores and loads the configured
  // jurisdictions first (as the command does), and what they check does not depend on which
  // others are configured, so only NYC is (the spawned runs keep the default folder).
  const nycOnly = () => {
    const juris = join(tempDir('odstat-cli-juris-'), 'jurisdictions');
    cpSync(join(REPO, 'fixtures', 'jurisdictions', 'nyc'), join(juris, 'nyc'), { recursive: true });
    return { ...env, ODSTAT_JURISDICTIONS_DIR: juris };
  };

  it('writes the default city fixtures deterministically', async () => {
    const a = await odstat(['fixtures', '--out', out, '--seed', '11', '--end', TEST_END], env, true);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain(join(out, 'mortality.csv'));
    const first = readFileSync(join(out, 'mortality.csv'));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { mortality: { seed: number; end: string } };
    expect(manifest.mortality).toMatchObject({ seed: 11, end: TEST_END });
    await odstat(['fixtures', '--out', out, '--seed', '11', '--end', TEST_END], env);
    expect(readFileSync(join(out, 'mortality.csv')).equals(first)).toBe(true);
  });

  it('ingests a file, reports what it rejected and where, and is a no-op the second time', async () => {
    const file = join(out, 'mortality.csv');
    const first = await odstat(['ingest', 'mortality', file], env, true);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/mortality\.csv → mortality: succeeded/);
    expect(first.stdout).toMatch(/rejected, invalid_date: 1/);
    expect(first.stdout).toMatch(/mortality\.csv:\d+ date_of_death: invalid_date \("\d{4}-02-30"\)/);
    expect(existsSync(join(data, 'odstat.duckdb'))).toBe(true);
    const again = await odstat(['ingest', 'mortality', file], nycOnly());
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/unchanged/);
  });

  it('exits non-zero naming the file and the problem', async () => {
    const bad = join(data, 'bad.csv');
    writeFileSync(bad, 'case_number,date_of_death\nA,2024-01-01\n');
    const env = nycOnly();
    const r = await odstat(['ingest', 'mortality', bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv: line 1: not a mortality file in any known format/);
    const missing = await odstat(['ingest', 'mortality', join(data, 'nope.csv')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
    const feed = await odstat(['ingest', 'tarot', bad], env);
    expect(feed.code).toBe(2);
    expect(feed.stderr).toMatch(/unknown feed "tarot"/);
    const atlantis = await odstat(['ingest', 'mortality', bad, '--jurisdiction', 'atlantis'], env);
    expect(atlantis.code).toBe(1);
    expect(atlantis.stderr).toMatch(/unknown jurisdiction "atlantis"/);
  });

  it('refuses damaged stores at start, naming the file or folder and what to do (no crash loop)', async () => {
    const damagedDuck = tempDir('odstat-damaged-duck-');
    writeFileSync(join(damagedDuck, 'odstat.duckdb'), Buffer.alloc(64 * 1024, 0x5a));
    const d = await odstat(['user', 'list'], { ODSTAT_DATA_DIR: damagedDuck });
    expect(d.code).toBe(1);
    expect(d.stderr).toContain(`${join(damagedDuck, 'odstat.duckdb')} is not a valid DuckDB database file`);
    expect(d.stderr).toMatch(/Restore it from a backup, or move it aside/);

    const damagedPg = tempDir('odstat-damaged-pg-');
    mkdirSync(join(damagedPg, 'pg', 'global'), { recursive: true });
    writeFileSync(join(damagedPg, 'pg', 'PG_VERSION'), 'not a version\n');
    writeFileSync(join(damagedPg, 'pg', 'global', 'pg_control'), Buffer.alloc(8192, 0x5a));
    const p = await odstat(['user', 'list'], { ODSTAT_DATA_DIR: damagedPg }, true);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain(`the embedded Postgres in ${join(damagedPg, 'pg')} cannot be opened`);
  });

  it('explains bad configuration instead of crashing', async () => {
    const r = await odstat(['ingest', 'mortality', 'x.csv'], { ...env, ODSTAT_PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ODSTAT_PORT=eighty: expected a whole number/);
  });
});
