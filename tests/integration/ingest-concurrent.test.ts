// Two loads of the same file at once: one wins, the other reports 'unchanged' (or, for a second
// process without a server, is refused by DuckDB's file lock with a clear message); no row is
// loaded twice. Three ways a user can do it: two callers in one process (the library; bootstrap
// and the server both call it), two uploads to the running server, and two `odstat ingest`
// commands (sent to a running server, or each opening the data directory itself).
import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApp } from '../../server/app.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import { openDuck, rows, type Duck } from '../../sql/duckdb.ts';
import { openOps } from '../../sql/postgres/db.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import { INGEST, REPO, TEST_LINKAGE, openStores, tempDir, writeMortality } from '../helpers/fixtures.ts';

const run = promisify(execFile);
const ODSTAT = join(REPO, 'bin', 'odstat.js');
// The real Allegheny County ME file (7,478 rows): small enough to load in about a second.
const ALLEGHENY = join(REPO, 'fixtures', 'samples', 'allegheny', 'fatal_overdoses_2007_2025.csv');

async function q<T>(duck: Duck, sql: string, params = {}): Promise<T[]> {
  const c = await duck.connect();
  try {
    return await rows<T>(c, sql, params);
  } finally {
    c.closeSync();
  }
}

async function odstat(args: string[], env: Record<string, string>) {
  try {
    const r = await run(process.execPath, [ODSTAT, ...args], { cwd: REPO, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 300_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** A jurisdictions folder holding only Allegheny County: processes start without loading the others. */
function alleghenyOnly(): string {
  const dir = join(tempDir('odstat-conc-juris-'), 'jurisdictions');
  cpSync(join(REPO, 'fixtures', 'jurisdictions', 'allegheny'), join(dir, 'allegheny'), { recursive: true });
  return dir;
}

/** The rows of the data directory's DuckDB file, read after every process on it has ended. */
async function duckCounts(data: string) {
  const duck = await openDuck(join(data, 'odstat.duckdb'));
  try {
    const [deaths] = await q<{ n: number; d: number }>(
      duck,
      `SELECT count(*)::INTEGER n, count(DISTINCT case_number)::INTEGER d FROM mortality_deaths WHERE jurisdiction_id = 'allegheny'`,
    );
    const [files] = await q<{ n: number }>(duck, `SELECT count(*)::INTEGER n FROM loaded_files WHERE jurisdiction_id = 'allegheny'`);
    return { deaths: deaths!.n, distinct: deaths!.d, files: files!.n };
  } finally {
    duck.close();
  }
}

describe('two loads of the same file at once', { timeout: 600_000 }, () => {
  it('in one process: one load succeeds, the other reports unchanged, every row once', async () => {
    const { duck, ops, nyc } = await openStores();
    try {
      const { file } = writeMortality(nyc, tempDir(), { years: 1 });
      // The first load holds its transaction open, so the second surely starts before it commits.
      const results = await Promise.all([
        ingestFeedFile(duck, ops.db, 'mortality', file, { ...INGEST, holdBeforeCommitMs: 500 }),
        ingestFeedFile(duck, ops.db, 'mortality', file, INGEST),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['succeeded', 'unchanged']);
      const won = results.find((r) => r.status === 'succeeded')!;
      const [n] = await q<{ n: number; d: number }>(duck, 'SELECT count(*)::INTEGER n, count(DISTINCT case_number)::INTEGER d FROM mortality_deaths');
      expect(n).toEqual({ n: won.rowsAccepted, d: won.rowsAccepted });
      expect((await q<{ n: number }>(duck, 'SELECT count(*)::INTEGER n FROM loaded_files'))[0]!.n).toBe(1);
      expect((await recentRuns(ops.db)).map((r) => r.status).sort()).toEqual(['succeeded', 'unchanged']);
    } finally {
      duck.close();
      await ops.close();
    }
  });

  it('two uploads to the server at once: one 200 succeeded, one 200 unchanged, every row once', async () => {
    const { duck, ops, nyc } = await openStores();
    const dir = tempDir();
    const { file } = writeMortality(nyc, dir, { years: 1 });
    const app = await buildApp({
      duck,
      ops,
      defaultJurisdiction: 'nyc',
      webRoot: null,
      ingest: { incomingDir: join(dir, 'incoming'), linkage: TEST_LINKAGE, maxRejectShare: 0.05, adminToken: 'admin-token-for-tests', holdBeforeCommitMs: 300 },
    });
    try {
      await app.ready();
      const body = readFileSync(file);
      const upload = () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/uploads/mortality?filename=same.csv',
          headers: { 'content-type': 'text/csv', authorization: 'Bearer admin-token-for-tests' },
          payload: body,
        });
      const res = await Promise.all([upload(), upload(), upload()]);
      expect(res.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      const reports = res.map((r) => r.json() as { status: string; rowsAccepted: number });
      expect(reports.map((r) => r.status).sort()).toEqual(['succeeded', 'unchanged', 'unchanged']);
      const won = reports.find((r) => r.status === 'succeeded')!;
      const [n] = await q<{ n: number; d: number }>(duck, 'SELECT count(*)::INTEGER n, count(DISTINCT case_number)::INTEGER d FROM mortality_deaths');
      expect(n).toEqual({ n: won.rowsAccepted, d: won.rowsAccepted });
    } finally {
      await app.close();
    }
  });

  describe('two `odstat ingest` commands', () => {
    const procs: ChildProcess[] = [];
    afterAll(() => {
      for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    });

    it('while `odstat serve` runs: both are sent to it; one succeeds, one is unchanged', async () => {
      const data = tempDir('odstat-conc-serve-');
      // A real-data default jurisdiction: no synthetic city to generate, so the server starts quickly.
      const env = { ODSTAT_DATA_DIR: data, ODSTAT_JURISDICTIONS_DIR: alleghenyOnly(), ODSTAT_DEFAULT_JURISDICTION: 'allegheny', ODSTAT_FAULT_HOLD_COMMIT_MS: '2000' };
      const a = join(data, 'me-a.csv');
      const b = join(data, 'me-b.csv'); // the same bytes under another name: a re-sent file
      copyFileSync(ALLEGHENY, a);
      copyFileSync(ALLEGHENY, b);
      const proc = spawn(process.execPath, [ODSTAT, 'serve'], {
        cwd: REPO,
        env: { ...process.env, DATABASE_URL: '', ODSTAT_PORT: '0', ODSTAT_LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      procs.push(proc);
      let out = '';
      proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const t0 = Date.now();
      while (!/serving on http/.test(out)) {
        if (proc.exitCode !== null || Date.now() - t0 > 180_000) throw new Error(`server did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const [ra, rb] = await Promise.all([
        odstat(['ingest', 'mortality', a, '--jurisdiction', 'allegheny'], env),
        odstat(['ingest', 'mortality', b, '--jurisdiction', 'allegheny'], env),
      ]);
      for (const r of [ra, rb]) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/a server is running on this data directory/);
      }
      const statuses = [ra, rb].map((r) => /→ mortality: (\w+)/.exec(r.stdout)![1]).sort();
      expect(statuses).toEqual(['succeeded', 'unchanged']);
      const accepted = Number(/accepted (\d+)/.exec([ra, rb].find((r) => /succeeded/.test(r.stdout))!.stdout)![1]);
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
      const c = await duckCounts(data);
      expect(c).toEqual({ deaths: accepted, distinct: accepted, files: 1 });
      const ops = await openOps({ kind: 'embedded', dir: join(data, 'pg') });
      try {
        const runs = (await recentRuns(ops.db)).filter((r) => r.jurisdiction_id === 'allegheny');
        expect(runs.map((r) => r.status).sort()).toEqual(['succeeded', 'unchanged']);
      } finally {
        await ops.close();
      }
    });

    it('with no server: one loads; the other is kept off by the DuckDB lock and says so, or finds it loaded', async () => {
      const data = tempDir('odstat-conc-cli-');
      const env = { ODSTAT_DATA_DIR: data, ODSTAT_JURISDICTIONS_DIR: alleghenyOnly(), ODSTAT_DEFAULT_JURISDICTION: 'allegheny', ODSTAT_FAULT_HOLD_COMMIT_MS: '2000' };
      const [ra, rb] = await Promise.all([
        odstat(['ingest', 'mortality', ALLEGHENY, '--jurisdiction', 'allegheny'], env),
        odstat(['ingest', 'mortality', ALLEGHENY, '--jurisdiction', 'allegheny'], env),
      ]);
      const all = [ra, rb];
      const won = all.filter((r) => r.code === 0 && /→ mortality: succeeded/.test(r.stdout));
      expect(won, JSON.stringify(all)).toHaveLength(1);
      const other = all.find((r) => r !== won[0])!;
      if (other.code === 0) {
        expect(other.stdout).toMatch(/→ mortality: unchanged/);
      } else {
        expect(other.code).toBe(1);
        expect(other.stderr).toMatch(/the DuckDB file is in use by another process/);
        expect(other.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      }
      const accepted = Number(/accepted (\d+)/.exec(won[0]!.stdout)![1]);
      expect(await duckCounts(data)).toEqual({ deaths: accepted, distinct: accepted, files: 1 });
    });
  });
});
