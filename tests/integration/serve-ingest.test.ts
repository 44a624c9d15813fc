// `odstat serve` owns the DuckDB file; `odstat ingest` sends its files to it. Loads are atomic for
// readers, and a server killed (SIGKILL) in the middle of a load comes back with the data it had.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { REPO, TEST_END, tempDir } from '../helpers/fixtures.ts';
import { generateMortality, mortalityCsv } from '../../fixtures/generators/mortality.ts';
import { writeFileSync, readFileSync } from 'node:fs';

const run = promisify(execFile);
const ODSTAT = join(REPO, 'bin', 'odstat.js');

interface Server {
  proc: ChildProcess;
  url: string;
  output: () => string;
}

function startServer(env: Record<string, string>): Promise<Server> {
  const proc = spawn(process.execPath, [ODSTAT, 'serve'], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: '', ODSTAT_PORT: '0', ODSTAT_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const check = setInterval(() => {
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ proc, url: m[1]!.replace('localhost', '127.0.0.1'), output: () => out });
      }
    }, 100);
    proc.on('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${out}`));
    });
  });
}

async function stop(s: Server | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!s || s.proc.exitCode !== null) return;
  const exited = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill(signal);
  await exited;
}

async function total(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/series?indicator=deaths.any_drug&interval=year&areas=101`);
  const body = (await res.json()) as { series: { area: string; points: { count: number }[] }[] };
  return body.series.find((s) => s.area === 'total')!.points.reduce((a, p) => a + p.count, 0);
}

async function odstat(args: string[], env: Record<string, string>) {
  try {
    const r = await run(process.execPath, [ODSTAT, ...args], { cwd: REPO, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 120_000 });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('loading while the dashboard runs', () => {
  const data = tempDir('odstat-serve-');
  const env = { ODSTAT_DATA_DIR: data, ODSTAT_FIXTURES_END: TEST_END, ODSTAT_FIXTURES_SEED: '5' };
  let server: Server | undefined;
  let extra: string;
  let extraDeaths: number;

  beforeAll(async () => {
    // A second extract: another seed's deaths, renumbered so they are new cases.
    const nyc = JSON.parse(readFileSync(join(REPO, 'fixtures/jurisdictions/nyc/uhf42.geo.json'), 'utf8')) as { features: { properties: { GEOCODE: number; GEONAME: string; BOROUGH: string } }[] };
    const areas = nyc.features.map((f) => ({ id: String(f.properties.GEOCODE), name: f.properties.GEONAME, group: f.properties.BOROUGH, population: 100_000 }));
    const g = generateMortality({ seed: 99, end: TEST_END, areas, years: 1 });
    const rowsOut = g.rows.map((r) => [r[0] ? `X${r[0]}` : '', ...r.slice(1)]);
    mkdirSync(join(data, 'in'), { recursive: true });
    extra = join(data, 'in', 'extract-2.csv');
    writeFileSync(extra, mortalityCsv(rowsOut));
    extraDeaths = Object.values(g.manifest.expected.byYear).reduce((a, y) => a + y.any_drug, 0);
    server = await startServer(env);
  });
  afterAll(async () => {
    await stop(server, 'SIGKILL');
  });

  it('sends `odstat ingest` to the running server; readers see the old or the new data, never half', async () => {
    const before = await total(server!.url);
    expect(before).toBeGreaterThan(5000);
    const seen = new Set<number>();
    let polling = true;
    const poller = (async () => {
      while (polling) seen.add(await total(server!.url));
    })();
    const r = await odstat(['ingest', 'mortality', extra], env);
    polling = false;
    await poller;
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/a server is running on this data directory/);
    expect(r.stdout).toMatch(/extract-2\.csv → mortality: succeeded/);
    const after = await total(server!.url);
    expect(after).toBe(before + extraDeaths);
    for (const v of seen) expect([before, after]).toContain(v);
  });

  it('after a SIGKILL in the middle of a load, restarts with the previous data and loads the file again without duplicates', async () => {
    await stop(server);
    server = await startServer({ ...env, ODSTAT_FAULT_HOLD_COMMIT_MS: '60000' });
    const before = await total(server.url);
    const third = join(data, 'in', 'extract-3.csv');
    writeFileSync(third, readFileSync(extra, 'utf8').replace(/XME-/g, 'YME-'));
    const pending = odstat(['ingest', 'mortality', third], env);
    const t0 = Date.now();
    while (!/holding the load transaction open/.test(server.output())) {
      if (Date.now() - t0 > 60_000) throw new Error(`load never reached its commit:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await stop(server, 'SIGKILL');
    const interrupted = await pending;
    expect(interrupted.code).not.toBe(0);

    server = await startServer(env);
    expect(server.output()).toMatch(/marked 1 ingest run\(s\) left unfinished/);
    expect(await total(server.url)).toBe(before);
    const again = await odstat(['ingest', 'mortality', third], env);
    expect(again.stdout).toMatch(/extract-3\.csv → mortality: succeeded/);
    expect(await total(server.url)).toBe(before + extraDeaths);
    const again2 = await odstat(['ingest', 'mortality', third], env);
    expect(again2.stdout).toMatch(/unchanged/);
    expect(await total(server.url)).toBe(before + extraDeaths);
  });
});
