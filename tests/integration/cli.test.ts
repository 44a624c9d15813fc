import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO, TEST_END, tempDir } from '../helpers/fixtures.ts';

const run = promisify(execFile);

async function odstat(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO, 'bin', 'odstat.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: '', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('the odstat command', { timeout: 240_000 }, () => {
  const data = tempDir('odstat-cli-');
  const env = { ODSTAT_DATA_DIR: data };
  const out = join(data, 'gen');

  it('writes the default city fixtures deterministically', async () => {
    const a = await odstat(['fixtures', '--out', out, '--seed', '11', '--end', TEST_END], env);
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
    const first = await odstat(['ingest', 'mortality', file], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/mortality\.csv → mortality: succeeded/);
    expect(first.stdout).toMatch(/rejected, invalid_date: 1/);
    expect(first.stdout).toMatch(/mortality\.csv:\d+ date_of_death: invalid_date \("\d{4}-02-30"\)/);
    expect(existsSync(join(data, 'odstat.duckdb'))).toBe(true);
    const again = await odstat(['ingest', 'mortality', file], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/unchanged/);
  });

  it('exits non-zero naming the file and the problem', async () => {
    const bad = join(data, 'bad.csv');
    writeFileSync(bad, 'case_number,date_of_death\nA,2024-01-01\n');
    const r = await odstat(['ingest', 'mortality', bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv: line 1: not a mortality file in any known format/);
    const missing = await odstat(['ingest', 'mortality', join(data, 'nope.csv')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
    const feed = await odstat(['ingest', 'tarot', bad], env);
    expect(feed.code).toBe(2);
    expect(feed.stderr).toMatch(/unknown feed "tarot"/);
    const juris = await odstat(['ingest', 'mortality', bad, '--jurisdiction', 'atlantis'], env);
    expect(juris.code).toBe(1);
    expect(juris.stderr).toMatch(/unknown jurisdiction "atlantis"/);
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
    const p = await odstat(['user', 'list'], { ODSTAT_DATA_DIR: damagedPg });
    expect(p.code).toBe(1);
    expect(p.stderr).toContain(`the embedded Postgres in ${join(damagedPg, 'pg')} cannot be opened`);
  });

  it('explains bad configuration instead of crashing', async () => {
    const r = await odstat(['ingest', 'mortality', 'x.csv'], { ...env, ODSTAT_PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ODSTAT_PORT=eighty: expected a whole number/);
  });
});
